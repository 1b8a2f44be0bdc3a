/* Sortable tables for OutlierAtlas pages: a progressive enhancement. Every table is complete
   without this script. It turns each column header of a data table into a button; pressing it
   sorts the body rows by that column (numbers numerically, text by locale), pressing again
   reverses. Empty and non-numeric cells of a numeric column stay last. Rows keep their order
   among equals.

   The single-file report inlines this file through the template engine, so it must not contain
   the characters the engine escapes: no angle brackets, ampersands, or quotes of either kind.
   Strings use backticks; comparisons use Math.sign and localeCompare. A test checks this. */
(function () {
  function numberIn(text) {
    if (text === `inf`) { return Infinity; }
    if (text === `-inf`) { return -Infinity; }
    var value = parseFloat(text.split(`,`).join(``));
    return isNaN(value) ? null : value;
  }

  function keyOf(row, column, numeric) {
    var cell = row.cells[column];
    var text = cell ? cell.textContent.trim() : ``;
    return numeric ? numberIn(text) : text;
  }

  function order(a, b, numeric) {
    if (numeric) {
      var difference = a - b;
      return isNaN(difference) ? 0 : Math.sign(difference);
    }
    return a.localeCompare(b, undefined, { numeric: true });
  }

  function sortBy(table, header, column, numeric) {
    var body = table.tBodies[0];
    var descending = header.getAttribute(`aria-sort`) === `ascending`;
    var items = Array.prototype.map.call(body.rows, function (row, position) {
      return { row: row, key: keyOf(row, column, numeric), position: position };
    });
    items.sort(function (a, b) {
      if (a.key === null || b.key === null) {
        if (a.key === b.key) { return a.position - b.position; }
        return a.key === null ? 1 : -1;
      }
      var result = order(a.key, b.key, numeric);
      return (descending ? -result : result) || a.position - b.position;
    });
    items.forEach(function (item) { body.appendChild(item.row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell) {
      cell.removeAttribute(`aria-sort`);
      var button = cell.querySelector(`button`);
      if (button) { button.setAttribute(`data-arrow`, ``); }
    });
    header.setAttribute(`aria-sort`, descending ? `descending` : `ascending`);
    header.querySelector(`button`).setAttribute(`data-arrow`, descending ? ` ▼` : ` ▲`);
  }

  function enhance(table) {
    if (!table.tHead || table.tHead.rows.length !== 1 || table.tBodies.length !== 1) { return; }
    var rows = table.tBodies[0].rows;
    if (rows.length === 0 || rows.length === 1) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (header, column) {
      var button = document.createElement(`button`);
      button.type = `button`;
      while (header.firstChild) { button.appendChild(header.firstChild); }
      header.appendChild(button);
      var numeric = header.classList.contains(`num`);
      button.addEventListener(`click`, function () { sortBy(table, header, column, numeric); });
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(`table.data`), enhance);
  }

  if (document.readyState === `loading`) {
    document.addEventListener(`DOMContentLoaded`, start);
  } else {
    start();
  }
})();
