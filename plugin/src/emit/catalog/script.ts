/**
 * catalog.js: search and filters of the index, folding and filtering of an entity's columns. It
 * reads only the page's own DOM (data attributes the templates wrote) and sets only textContent
 * and hidden: contract text never passes through innerHTML. It loads nothing and sends nothing.
 */
import { COLUMN_ANCHOR_PREFIX } from "./names.js";

export const SCRIPT_TEXT = `"use strict";
(function () {
  var $ = function (selector, root) { return (root || document).querySelector(selector); };
  var $$ = function (selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); };
  var termsOf = function (text) { return text.toLowerCase().split(/\\s+/).filter(Boolean); };
  var matches = function (text, terms) { return terms.every(function (t) { return text.indexOf(t) >= 0; }); };
  /** How many matching columns an entity card lists before it says how many more there are. */
  var MAX_COLUMN_HITS = 8;

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA");
    if (event.key === "/" && !typing) {
      event.preventDefault();
      $("#search").focus();
    }
  });

  if (document.body.classList.contains("page-index")) indexPage();
  else entityPage();

  function indexPage() {
    var cards = $$(".entity-card");
    var search = $("#search");
    var dataset = $("#filter-dataset");
    var owner = $("#filter-owner");
    var freshness = $("#filter-freshness");
    var pii = $("#filter-pii");
    var count = $("#result-count");
    var empty = $("#no-results");
    var total = cards.length;
    // What a search matches: the card's name, type name, description and badges (not its column list).
    var texts = cards.map(function (card) {
      return $$(".card-head, .description, .badges", card).map(function (e) { return e.textContent; }).join(" ").toLowerCase();
    });

    function apply() {
      var terms = termsOf(search.value);
      var shown = 0;
      cards.forEach(function (card, index) {
        var d = card.dataset;
        var passes = (!dataset.value || d.dataset === dataset.value) &&
          (!owner.value || d.owner === owner.value) &&
          (!freshness.value || d.freshness === freshness.value) &&
          (!pii.checked || d.pii === "yes");
        var hitList = $(".column-hits", card);
        var hits = 0;
        $$("li", hitList).forEach(function (item) {
          var path = item.dataset.path || item.textContent;
          var hit = passes && terms.length > 0 && matches(path.toLowerCase(), terms);
          if (hit) hits++;
          item.hidden = !hit || hits > MAX_COLUMN_HITS;
          if (!item.hidden && !item.dataset.path) columnLink(item, card.dataset.href, path);
        });
        var more = $(".more-hits", hitList);
        if (more) more.remove();
        if (hits > MAX_COLUMN_HITS) {
          more = document.createElement("li");
          more.className = "more-hits";
          more.textContent = "and " + (hits - MAX_COLUMN_HITS) + " more columns";
          hitList.appendChild(more);
        }
        var visible = passes && (terms.length === 0 || matches(texts[index], terms) || hits > 0);
        hitList.hidden = !(visible && hits > 0);
        card.hidden = !visible;
        if (visible) shown++;
      });
      count.textContent = shown === total ? total + " entities" : shown + " of " + total + " entities";
      empty.hidden = shown > 0;
    }

    [search, dataset, owner, freshness, pii].forEach(function (input) {
      input.addEventListener("input", apply);
      input.addEventListener("change", apply);
    });
    $("#filter-reset").addEventListener("click", function () {
      search.value = "";
      dataset.value = owner.value = freshness.value = "";
      pii.checked = false;
      apply();
    });
    apply();
  }

  /** Turns a listed column path into a link to its row, the first time it is shown. */
  function columnLink(item, page, path) {
    var link = document.createElement("a");
    link.href = page + "#${COLUMN_ANCHOR_PREFIX}" + path;
    var code = document.createElement("code");
    code.textContent = path;
    link.appendChild(code);
    item.dataset.path = path;
    item.textContent = "";
    item.appendChild(link);
  }

  function entityPage() {
    var rows = $$("tbody tr[data-path]");
    var byPath = {};
    var texts = {};
    rows.forEach(function (row) {
      byPath[row.dataset.path] = row;
      texts[row.dataset.path] = row.textContent.toLowerCase();
    });
    // Column names have no dots, so a row's parent STRUCT is its path up to the last one.
    var parentOf = function (path) { var dot = path.lastIndexOf("."); return dot < 0 ? "" : path.slice(0, dot); };
    var folded = {};
    var search = $("#search");
    var empty = $("#no-columns");

    function ancestors(row) {
      var list = [];
      for (var parent = parentOf(row.dataset.path); parent; parent = parentOf(parent)) list.push(byPath[parent]);
      return list;
    }

    function render() {
      var terms = termsOf(search.value);
      var shown = 0;
      var keep = {};
      if (terms.length > 0) {
        rows.forEach(function (row) {
          if (!matches(texts[row.dataset.path], terms)) return;
          keep[row.dataset.path] = true;
          ancestors(row).forEach(function (a) { keep[a.dataset.path] = true; });
        });
      }
      rows.forEach(function (row) {
        var visible = terms.length > 0
          ? keep[row.dataset.path] === true
          : ancestors(row).every(function (a) { return !folded[a.dataset.path]; });
        row.hidden = !visible;
        if (visible) shown++;
        var toggle = $(".toggle", row);
        if (toggle) toggle.setAttribute("aria-expanded", String(terms.length > 0 || !folded[row.dataset.path]));
      });
      empty.hidden = shown > 0;
    }

    function foldAll(fold) {
      rows.forEach(function (row) { if ($(".toggle", row)) folded[row.dataset.path] = fold; });
      render();
    }

    /** Opens the STRUCTs above the row the address points at, and marks it. */
    function reveal() {
      var id = decodeURIComponent(location.hash.slice(1));
      var row = id ? document.getElementById(id) : null;
      if (!row || !row.dataset.path) return;
      ancestors(row).forEach(function (a) { folded[a.dataset.path] = false; });
      if (row.hidden) search.value = "";
      render();
      $$("tr.highlight").forEach(function (r) { r.classList.remove("highlight"); });
      row.classList.add("highlight");
      row.scrollIntoView({ block: "center" });
    }

    rows.forEach(function (row) {
      var toggle = $(".toggle", row);
      if (!toggle) return;
      folded[row.dataset.path] = true;
      toggle.addEventListener("click", function () {
        folded[row.dataset.path] = !folded[row.dataset.path];
        render();
      });
    });
    search.addEventListener("input", render);
    $("#expand-all").addEventListener("click", function () { foldAll(false); });
    $("#collapse-all").addEventListener("click", function () { foldAll(true); });
    $$(".copy").forEach(function (button) {
      button.addEventListener("click", function () {
        var code = $("code", button.closest("figure")).textContent;
        var done = function (label) { button.textContent = label; setTimeout(function () { button.textContent = "Copy"; }, 1500); };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(code).then(function () { done("Copied"); }, function () { selectCode(button); done("Selected"); });
        } else {
          selectCode(button);
          done("Selected");
        }
      });
    });
    window.addEventListener("hashchange", reveal);
    render();
    reveal();
  }

  function selectCode(button) {
    var range = document.createRange();
    range.selectNodeContents($("code", button.closest("figure")));
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
})();
`;
