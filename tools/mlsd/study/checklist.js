(function () {
  "use strict";
  // Ticked item ids live in local storage under one key. Ids of items not on this page (other
  // chapters, or items since reworded) are kept, so a page made with --chapters loses nothing.
  var KEY = "mlsd-checklist";
  var FORMAT = "mlsd-checklist-progress";
  var root = document.documentElement;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.tick"));
  var ticked = {};

  function read() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(KEY) || "null");
      return saved && saved.format === FORMAT && Array.isArray(saved.ticked) ? saved.ticked : [];
    } catch (error) {
      return [];
    }
  }

  function snapshot() {
    return { format: FORMAT, version: 1, ticked: Object.keys(ticked).sort() };
  }

  function write() {
    try {
      window.localStorage.setItem(KEY, JSON.stringify(snapshot()));
    } catch (error) {
      status("Progress could not be saved: this browser keeps no local storage for the page.");
    }
  }

  function status(text) {
    document.getElementById("study-status").textContent = text;
  }

  function show(bar, done, total) {
    bar.querySelector("progress").max = total;
    bar.querySelector("progress").value = done;
    bar.querySelector(".count").textContent = done + " of " + total;
  }

  function update() {
    var all = 0;
    Array.prototype.forEach.call(document.querySelectorAll("section.chapter"), function (section) {
      var inside = section.querySelectorAll("input.tick");
      var done = section.querySelectorAll("input.tick:checked").length;
      all += done;
      show(section.querySelector(".progress"), done, inside.length);
    });
    show(document.getElementById("study-overall"), all, boxes.length);
  }

  function apply(ids) {
    ticked = {};
    ids.forEach(function (id) {
      if (typeof id === "string") ticked[id] = true;
    });
    boxes.forEach(function (box) {
      box.checked = ticked[box.id] === true;
    });
    update();
  }

  function exportProgress() {
    var blob = new Blob([JSON.stringify(snapshot(), null, 2) + "\n"], { type: "application/json" });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = "mlsd-checklist-progress.json";
    document.body.appendChild(link);
    link.click();
    link.remove();
    status("Exported " + Object.keys(ticked).length + " ticked items.");
  }

  function importProgress(file) {
    var reader = new FileReader();
    reader.onload = function () {
      var loaded = null;
      try {
        loaded = JSON.parse(String(reader.result));
      } catch (error) {
        loaded = null;
      }
      if (!loaded || loaded.format !== FORMAT || !Array.isArray(loaded.ticked)) {
        status("That file is not an mlsd checklist export; nothing changed.");
        return;
      }
      apply(loaded.ticked);
      write();
      status("Imported " + Object.keys(ticked).length + " ticked items.");
    };
    reader.readAsText(file);
  }

  boxes.forEach(function (box) {
    box.addEventListener("change", function () {
      if (box.checked) ticked[box.id] = true;
      else delete ticked[box.id];
      write();
      update();
    });
  });
  document.getElementById("study-export").addEventListener("click", exportProgress);
  document.getElementById("study-import").addEventListener("click", function () {
    document.getElementById("study-file").click();
  });
  document.getElementById("study-file").addEventListener("change", function (event) {
    var file = event.target.files[0];
    if (file) importProgress(file);
    event.target.value = "";
  });
  document.getElementById("study-reset").addEventListener("click", function () {
    if (!window.confirm("Untick every item? Export first to keep a copy.")) return;
    apply([]);
    write();
    status("Every item is unticked.");
  });
  Array.prototype.forEach.call(document.querySelectorAll(".study"), function (element) {
    element.hidden = false;
  });
  root.classList.add("ticking");
  apply(read());
})();
