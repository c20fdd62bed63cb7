/**
 * The one script of the review pages, served from this origin (CSP `script-src 'self'`, no
 * inline script): on a record's page it re-runs the identities as the reviewer types, with the
 * same rules as the server (src/review/identities.ts: blank counts as 0, a field never located is
 * unknown and leaves its identities undecided), and gives the keyboard path (b: first blamed
 * cell, n: next flagged record). Without it the page still works: the server renders the same
 * identity states and checks every save.
 */
import { createHash } from 'node:crypto';

export const REVIEW_JS = `'use strict';
(function () {
  var data = document.getElementById('identities-data');
  var form = document.getElementById('correct');
  function parse(t) {
    t = t.replace(/[\\uFF10-\\uFF19]/g, function (d) { return String.fromCharCode(d.charCodeAt(0) - 0xfee0); })
      .replace(/[\\uFF0C,\\s]/g, '').replace(/^\\uFF0D/, '-').replace(/\\uFF0E/g, '.');
    if (t === '') return null;
    return /^-?\\d+(\\.\\d+)?$/.test(t) ? Number(t) : NaN;
  }
  function run() {
    var ids = JSON.parse(data.textContent);
    var inputs = form.querySelectorAll('input[data-field]');
    var values = {};
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      var v = parse(input.value);
      input.classList.toggle('invalid', v !== v);
      // An empty box on a field never located stays unknown.
      if (v === null && input.getAttribute('data-located') !== '1') continue;
      values[input.getAttribute('data-field')] = v;
    }
    var blamed = {};
    var broken = 0, holds = 0, undecided = 0;
    function side(fields) {
      var sum = 0;
      for (var k = 0; k < fields.length; k++) {
        if (!Object.prototype.hasOwnProperty.call(values, fields[k])) return null;
        var x = values[fields[k]];
        if (x !== x) return null;
        sum += x === null ? 0 : x;
      }
      return sum;
    }
    for (var j = 0; j < ids.length; j++) {
      var id = ids[j];
      var l = side(id.left), r = side(id.right);
      var state = l === null || r === null ? 'unknown' : Math.abs(l - r) < 1e-6 ? 'holds' : 'broken';
      if (state === 'broken') { broken++; id.left.concat(id.right).forEach(function (f) { blamed[f] = true; }); }
      else if (state === 'holds') holds++; else undecided++;
      var li = document.getElementById('identity-' + j);
      if (li) {
        li.className = 'identity ' + state;
        li.setAttribute('data-state', state);
        var lr = li.querySelector('.lr');
        if (lr) lr.textContent = state === 'unknown' ? 'undecided' : (Math.round(l * 100) / 100) + (state === 'holds' ? ' = ' : ' \\u2260 ') + (Math.round(r * 100) / 100);
      }
    }
    for (var m = 0; m < inputs.length; m++) {
      var row = inputs[m].closest('tr');
      if (row) row.classList.toggle('blamed', !!blamed[inputs[m].getAttribute('data-field')]);
    }
    var sum = document.getElementById('identity-summary');
    if (sum) {
      sum.textContent = broken + ' broken, ' + holds + ' hold, ' + undecided + ' undecided';
      sum.setAttribute('data-broken', String(broken));
    }
  }
  document.addEventListener('keydown', function (e) {
    var t = e.target;
    if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT'))) return;
    if (e.key === 'b') {
      var first = document.querySelector('tr.blamed input[data-field], tr.flagged input[data-field]');
      if (first) { e.preventDefault(); first.focus(); first.scrollIntoView({ block: 'center' }); }
    } else if (e.key === 'n') {
      var next = document.getElementById('next-flagged');
      if (next) { e.preventDefault(); location.href = next.getAttribute('href'); }
    }
  });
  if (data && form) { form.addEventListener('input', run); run(); }
})();
`;

export const REVIEW_JS_PATH = `/assets/review.${createHash('sha256').update(REVIEW_JS).digest('hex').slice(0, 12)}.js`;
