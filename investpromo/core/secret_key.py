"""The secret key when DJANGO_SECRET_KEY is not set: made once, kept in the data folder.

Imported by the settings, so it uses nothing from Django but its key generator.
"""

import os
import time
from pathlib import Path

FILE_NAME = "secret_key"
# A server started while another writes the file waits this long for its contents.
_WAIT_SECONDS = 5.0


def key_file(data_dir: Path) -> Path:
    """Where the generated key is kept."""
    return Path(data_dir) / FILE_NAME


def load_or_create_secret_key(data_dir: Path) -> str:
    """The key in the data folder, made (readable by the owner only) by whoever comes first."""
    from django.core.management.utils import get_random_secret_key

    path = key_file(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: of several servers or workers starting at once, one creates the file and the
        # others read what it wrote, so they all sign with the same key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(get_random_secret_key() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return _read(path)


def _read(path: Path) -> str:
    deadline = time.monotonic() + _WAIT_SECONDS
    while True:
        key = path.read_text(encoding="ascii").strip()
        if key:
            return key
        if time.monotonic() > deadline:
            from django.core.exceptions import ImproperlyConfigured

            raise ImproperlyConfigured(
                f"the secret key file {path} is empty: delete it (a new key is made at the next "
                "start) or set DJANGO_SECRET_KEY"
            )
        time.sleep(0.05)
