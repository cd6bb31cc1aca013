// The header viewer page's glue: read what the person pasted or dropped, show caliop's report.
import { viewOf, renderReport, MAX_HEADER_BLOCK } from '../caliop-headers/index.js';

const STAMPERS_KEY = 'caliop-viewer-stampers';
const $ = (id) => document.getElementById(id);

function remembered() {
  try {
    return window.localStorage.getItem(STAMPERS_KEY) ?? '';
  } catch {
    return ''; // storage refused (private window, file:// policy): the field still works, it is just not kept
  }
}

function remember(value) {
  try {
    window.localStorage.setItem(STAMPERS_KEY, value);
  } catch {
    // see remembered()
  }
}

function show() {
  const text = $('headers').value;
  const result = $('result');
  result.replaceChildren();
  if (text.trim() === '') {
    return;
  }
  const view = viewOf(text, { trustedStampers: $('stampers').value });
  result.append(renderReport(document, view));
}

async function load(file) {
  // Only the start of the file is read: the headers are at the top, and a large attachment stays on disk.
  const head = await file.slice(0, MAX_HEADER_BLOCK + 1).text();
  $('headers').value = head;
  show();
}

$('stampers').value = remembered();
$('stampers').addEventListener('input', () => {
  remember($('stampers').value);
  show();
});
$('headers').addEventListener('input', show);
$('file').addEventListener('change', (e) => {
  if (e.target.files.length > 0) {
    load(e.target.files[0]);
  }
});
const drop = $('drop');
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  drop.classList.add('over');
});
document.addEventListener('dragleave', () => drop.classList.remove('over'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer && e.dataTransfer.files.length > 0) {
    load(e.dataTransfer.files[0]);
  }
});
show();
