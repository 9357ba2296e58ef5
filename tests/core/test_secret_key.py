"""#12.5: no secret key written in the code; a generated one kept in the data folder."""

import io
import os
import runpy
import stat
import threading
from pathlib import Path

from django.core.management import call_command
from django.test import override_settings

import investpromo.settings as app_settings
from investpromo.core.checks import secret_key_file_check
from investpromo.core.secret_key import key_file, load_or_create_secret_key


def _production_settings(monkeypatch, data_dir) -> dict:
    """The app's settings as a server without DJANGO_SECRET_KEY (and debug off) reads them."""
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.setenv("INVESTPROMO_DATA_DIR", str(data_dir))
    return runpy.run_path(app_settings.__file__)


def test_no_known_secret_key_in_production(tmp_path, monkeypatch):
    first = _production_settings(monkeypatch, tmp_path)
    again = _production_settings(monkeypatch, tmp_path)
    elsewhere = _production_settings(monkeypatch, tmp_path / "other-machine")

    key = first["SECRET_KEY"]
    assert len(key) >= 50 and len(set(key)) >= 5
    # Not a key anyone can read in the source: made here, kept, and different for another folder.
    assert key not in Path(app_settings.__file__).read_text(encoding="utf-8")
    assert again["SECRET_KEY"] == key
    assert elsewhere["SECRET_KEY"] != key
    path = key_file(tmp_path)
    assert first["INVESTPROMO_SECRET_KEY_FILE"] == path
    assert path.read_text().strip() == key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_no_known_secret_key_in_production_servers_starting_at_once_agree(tmp_path):
    starting = threading.Barrier(8)
    keys = []

    def start():
        starting.wait()
        keys.append(load_or_create_secret_key(tmp_path))

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8 and len(set(keys)) == 1
    assert os.listdir(tmp_path) == ["secret_key"]


def test_no_known_secret_key_in_production_deploy_check_says_where_and_how_to_rotate(tmp_path):
    path = key_file(tmp_path)
    load_or_create_secret_key(tmp_path)
    with override_settings(INVESTPROMO_SECRET_KEY_FILE=path):
        out = io.StringIO()
        call_command("check", "--deploy", "--tag", "security", stdout=out, stderr=out)
        assert str(path) in out.getvalue() and "rotate" in out.getvalue()
        assert [m.id for m in secret_key_file_check()] == ["investpromo.I001"]
        path.chmod(0o644)
        assert [m.id for m in secret_key_file_check()] == ["investpromo.I001", "investpromo.W001"]
    # A key given in the environment is the operator's business: nothing to say.
    with override_settings(INVESTPROMO_SECRET_KEY_FILE=None):
        assert secret_key_file_check() == []
