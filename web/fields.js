// The options form: reads the fields into the engine's options, and says what is wrong next to
// the field (aria-invalid, the allowed range) instead of sending an invalid option anywhere.
const $ = (id) => document.getElementById(id);
let maxDimension = 4096;

/** The most members a set may have (the engine's and the server's MAX_SET). */
export const MAX_SET = 8;

const HINTS = {
  width: () => `Whole pixels, 1\u2013${maxDimension}`,
  height: () => `Empty = width; 1\u2013${maxDimension}`,
  sizes: () => `Optional: up to ${MAX_SET} widths, e.g. 320, 640, 1280; each with the fit, format and quality above`,
};

export function setMaxDimension(n) {
  maxDimension = n;
  for (const id of ['width', 'height']) {
    $(id).max = String(n);
    if (!$(id).hasAttribute('aria-invalid')) $(`${id}-msg`).textContent = HINTS[id]();
  }
}

function checkDimension(id, required) {
  const el = $(id);
  const text = el.value.trim();
  // A number field reports text it cannot parse (letters, "1e") as bad input with an empty value.
  if (el.validity.badInput) return `${el.labels[0].textContent} must be a number, 1\u2013${maxDimension}.`;
  if (text === '') return required ? `Enter a width, 1\u2013${maxDimension}.` : null;
  const n = Number(text);
  if (!Number.isInteger(n)) return `Whole pixels only, 1\u2013${maxDimension}.`;
  if (n < 1 || n > maxDimension) return `Must be 1\u2013${maxDimension} (it is ${n}).`;
  return null;
}

function mark(id, error) {
  const el = $(id);
  const msg = $(`${id}-msg`);
  if (error) {
    el.setAttribute('aria-invalid', 'true');
    msg.textContent = error;
    msg.classList.add('error');
  } else {
    el.removeAttribute('aria-invalid');
    msg.textContent = HINTS[id]();
    msg.classList.remove('error');
  }
}

/** The widths of the set field: none, or up to MAX_SET distinct whole numbers in range. */
function parseSizes() {
  const text = $('sizes').value.trim();
  if (!text) return { widths: [] };
  const words = text.split(/[\s,]+/).filter(Boolean);
  const widths = [];
  for (const w of words) {
    const n = Number(w.replace(/(px|w)$/i, ''));
    if (!Number.isInteger(n)) return { error: `\u201c${w}\u201d is not a whole number of pixels.` };
    if (n < 1 || n > maxDimension) return { error: `Each width must be 1\u2013${maxDimension} (one is ${n}).` };
    if (!widths.includes(n)) widths.push(n);
  }
  if (widths.length > MAX_SET) return { error: `At most ${MAX_SET} widths in a set (there are ${widths.length}).` };
  return { widths: widths.sort((a, b) => a - b) };
}

/**
 * The set's members: the options (fit, format, quality) with each width of the set field and
 * no height (a square box, as `width` alone means), or `[]` when the field is empty or invalid.
 */
export function readSet(options) {
  const { widths } = parseSizes();
  if (!options || !widths) return [];
  return widths.map((width) => {
    const m = { ...options, width };
    delete m.height;
    return m;
  });
}

/** The options as the engine and the server take them, or `null` when a field is invalid (marked). */
export function readOptions() {
  const errors = { width: checkDimension('width', true), height: checkDimension('height', false), sizes: parseSizes().error || null };
  for (const [id, error] of Object.entries(errors)) mark(id, error);
  if (errors.width || errors.height || errors.sizes) return null;
  const choice = $('format').value;
  const o = { width: Number($('width').value), fit: $('fit').value, format: choice === 'webp-lossless' ? 'webp' : choice };
  if ($('height').value.trim()) o.height = Number($('height').value);
  if (choice === 'webp-lossless') o.lossless = true;
  if (LOSSY.includes(choice)) o.quality = Number($('quality').value);
  return o;
}

/** The formats that take a quality. */
const LOSSY = ['jpeg', 'webp', 'avif'];
/** Each lossy format's default quality (the engine's): AVIF at 80 is often larger than JPEG. */
const DEFAULT_QUALITY = { jpeg: 80, webp: 80, avif: 50 };
let lastFormat = null;

/**
 * Quality applies to the lossy formats: disabled (and said so) for PNG and lossless WebP. A
 * change of format moves an untouched slider to the new format's default.
 */
export function syncQuality() {
  const choice = $('format').value;
  const lossy = LOSSY.includes(choice);
  if (lossy && lastFormat !== null && lastFormat !== choice
    && Number($('quality').value) === (DEFAULT_QUALITY[lastFormat] ?? 80)) {
    $('quality').value = String(DEFAULT_QUALITY[choice]);
  }
  if (lossy) lastFormat = choice;
  $('quality').disabled = !lossy;
  $('quality-field').classList.toggle('disabled', !lossy);
  $('quality-value').textContent = $('quality').value;
  $('quality-msg').textContent = lossy
    ? `1 (smallest) \u2013 100 (best); ${DEFAULT_QUALITY[choice]} by default`
    : 'For JPEG, WebP and AVIF: PNG and lossless WebP ignore it';
}

/** The options as a query string (the raw-body request). */
export function query(o) {
  return new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
}
