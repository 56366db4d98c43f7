/* Live search of the home page's list of commitments, in the browser: no server, nothing
   fetched. The index (data/search-index.js) sets window.commitmentsSearch, one entry per
   commitment with its title, department, minister, status, kind and quotes. Without this
   script the search form stays hidden and the whole list shows. */
(function () {
  "use strict";
  var form = document.getElementById("search");
  var input = document.getElementById("search-terms");
  var count = document.getElementById("search-count");
  var index = window.commitmentsSearch;
  if (!form || !input || !count || !index) { return; }
  var rows = {};
  Array.prototype.forEach.call(document.querySelectorAll("[data-commitment]"), function (row) {
    rows[row.getAttribute("data-commitment")] = row;
  });
  // One lower-case haystack per commitment, built once.
  var haystacks = index.map(function (entry) {
    return {id: entry.id, text: [entry.title, entry.owner, entry.person, entry.status, entry.kind]
      .concat(entry.quotes).join(" \n ").toLowerCase()};
  });
  var timer = null;

  function filter() {
    var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    haystacks.forEach(function (entry) {
      var row = rows[entry.id];
      if (!row) { return; }
      var match = terms.every(function (term) { return entry.text.indexOf(term) !== -1; });
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = terms.length
      ? shown + " of " + haystacks.length + " commitments match “" + input.value.trim() + "”."
      : "";
  }

  form.hidden = false;
  form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(filter, 120);
  });
  if (input.value) { filter(); }
}());
