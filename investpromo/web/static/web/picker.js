// Region pickers: a box that takes codes or names becomes a search with suggestions.
// Without this script the box still works (the server resolves what was typed).
(function () {
  "use strict";
  var DELAY = 180;
  var counter = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text) { node.textContent = text; }
    return node;
  }

  function setUp(input) {
    var multiple = input.getAttribute("data-region-picker") === "multiple";
    var url = input.getAttribute("data-lookup-url");
    var chosen = JSON.parse(input.getAttribute("data-selected") || "[]");
    var id = "picker-" + (++counter);
    var box = el("div", "picker");
    input.parentNode.insertBefore(box, input);
    var chips = null;
    var search = input;
    if (multiple) {
      chips = el("ul", "picker__chips");
      chips.setAttribute("aria-label", input.getAttribute("data-selected-label") || "");
      search = el("input");
      search.type = "search";
      search.className = input.className;
      search.setAttribute("autocomplete", "off");
      search.setAttribute("placeholder", input.getAttribute("data-search-label"));
      // The label of the original box now names the search; the box itself is submitted.
      search.id = input.id;
      input.id = input.id + "-codes";
      input.type = "hidden";
      box.appendChild(chips);
      box.appendChild(input);
      box.appendChild(search);
    } else {
      box.appendChild(input);
      search.setAttribute("placeholder", input.getAttribute("data-search-label"));
    }
    var note = el("span", "picker__chosen");
    note.setAttribute("aria-live", "polite");
    if (!multiple) { box.appendChild(note); }
    var list = el("ul", "picker__results");
    list.id = id + "-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(list);
    search.setAttribute("role", "combobox");
    search.setAttribute("aria-autocomplete", "list");
    search.setAttribute("aria-controls", list.id);
    search.setAttribute("aria-expanded", "false");

    var results = [];
    var active = -1;
    var timer = null;
    var asked = "";

    function codes() {
      return chosen.map(function (item) { return item.code; });
    }

    function drawChips() {
      if (!multiple) { return; }
      chips.textContent = "";
      chosen.forEach(function (item) {
        var chip = el("li", "picker__chip");
        chip.setAttribute("data-code", item.code);
        chip.appendChild(el("span", "", item.label));
        chip.appendChild(el("span", "picker__code", item.code));
        var remove = el("button", "picker__remove", "×");
        remove.type = "button";
        remove.setAttribute("aria-label", input.getAttribute("data-remove-label") + " " + item.label);
        remove.addEventListener("click", function () {
          chosen = chosen.filter(function (other) { return other.code !== item.code; });
          input.value = codes().join(" ");
          drawChips();
          search.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function close() {
      list.hidden = true;
      search.setAttribute("aria-expanded", "false");
      search.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      active = index;
      for (var i = 0; i < options.length; i++) {
        options[i].setAttribute("aria-selected", i === index ? "true" : "false");
      }
      if (options[index]) {
        search.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      }
    }

    function choose(result) {
      var label = result.full_name;
      if (multiple) {
        if (codes().indexOf(result.code) < 0) { chosen.push({ code: result.code, label: label }); }
        input.value = codes().join(" ");
        search.value = "";
        drawChips();
      } else {
        search.value = result.code;
        note.textContent = label;
      }
      close();
      search.focus();
    }

    function draw() {
      list.textContent = "";
      if (!results.length) {
        list.appendChild(el("li", "picker__none", input.getAttribute("data-none-label")));
      }
      results.forEach(function (result, index) {
        var option = el("li", "picker__option");
        option.id = id + "-option-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("data-code", result.code);
        option.appendChild(el("span", "", result.full_name));
        option.appendChild(el("span", "picker__code", result.code));
        // mousedown, not click: the search box would lose focus (and the list) first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(result);
        });
        list.appendChild(option);
      });
      list.hidden = false;
      search.setAttribute("aria-expanded", "true");
      highlight(results.length ? 0 : -1);
    }

    function ask() {
      var text = search.value.trim();
      if (!text) { results = []; close(); return; }
      asked = text;
      fetch(url + "?q=" + encodeURIComponent(text), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          if (search.value.trim() !== asked) { return; }  // an answer to older typing
          results = data.results || [];
          draw();
        })
        .catch(function () { close(); });
    }

    search.addEventListener("input", function () {
      note.textContent = "";
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && !list.hidden) {
        event.preventDefault();
        highlight(Math.min(active + 1, results.length - 1));
      } else if (event.key === "ArrowUp" && !list.hidden) {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && !list.hidden && results[active]) {
        event.preventDefault();
        choose(results[active]);
      } else if (event.key === "Escape") {
        close();
      } else if (event.key === "Backspace" && multiple && !search.value && chosen.length) {
        chosen.pop();
        input.value = codes().join(" ");
        drawChips();
      }
    });
    search.addEventListener("blur", function () { window.setTimeout(close, 150); });
    if (!multiple && chosen.length) { note.textContent = chosen[0].label; }
    if (multiple) {
      // What was typed but not resolved (a name) stays in the box until the server reads it.
      var known = codes();
      var typed = input.value.split(/[\s,，;；、]+/).filter(function (part) {
        return part && known.indexOf(part) < 0;
      });
      typed.forEach(function (part) { chosen.push({ code: part, label: part }); });
      input.value = codes().join(" ");
      drawChips();
    }
  }

  var pickers = document.querySelectorAll("[data-region-picker]");
  for (var i = 0; i < pickers.length; i++) { setUp(pickers[i]); }
})();
