// Polls a running import's progress and reloads the page when it has finished.
(function () {
  "use strict";
  var box = document.querySelector("[data-import-busy]");
  if (!box) { return; }
  var url = box.getAttribute("data-progress-url");
  var fill = box.querySelector("[data-progress-fill]");
  var text = box.querySelector("[data-progress-text]");
  var bar = fill.parentNode;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (!state.busy) { window.location.reload(); return; }
        if (state.total) {
          bar.classList.remove("progress__bar--indeterminate");
          var done = state.done || 0;
          fill.style.width = Math.min(100, Math.round(100 * done / state.total)) + "%";
          text.textContent = done + " / " + state.total;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 500);
})();
