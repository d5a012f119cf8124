// What the page says: the error codes in words, and numbers as people read them.
export const MESSAGES = {
  unsupported_format: 'This file is not an image the service accepts (JPEG, PNG, GIF, WebP, BMP, TIFF or ICO). SVG, HTML, AVIF, HEIC and other formats are refused.',
  corrupt_image: 'This image is damaged or cut short: it cannot be decoded.',
  image_too_large: 'This image is over the engine\u2019s budget (pixels, memory or work): the server refuses it too.',
  output_too_large: 'The thumbnail would be too large for the server to return (Lambda response cap). Try a smaller size or JPEG.',
  invalid_option: 'An option is out of range.',
  invalid_request: 'The server could not read the request.',
  payload_too_large: 'The file is larger than the server accepts in a request body.',
  url_not_allowed: 'The server does not fetch that URL (only public http(s) addresses).',
  source_too_large: 'The image at that URL is larger than the server fetches.',
  source_unavailable: 'The server could not fetch the image at that URL.',
  source_timeout: 'The image at that URL took too long to fetch.',
  internal_error: 'Something went wrong inside the engine.',
};

export function describe(code, fallback = '') {
  return `${MESSAGES[code] || fallback || 'The request failed.'} (${code})`;
}

export function fmtBytes(n) {
  return n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(2)} MiB`;
}

/** "−92 %" when `after` is smaller than `before`, "+15 %" when larger. */
export function saving(before, after) {
  if (!before) return '';
  const pct = Math.round((after / before - 1) * 100);
  return pct < 0 ? `\u2212${-pct} %` : `+${pct} %`;
}

export function dims(w, h) {
  return `${w} \u00d7 ${h}`;
}
