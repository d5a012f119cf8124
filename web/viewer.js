// The comparison view, as in Squoosh: the original and the thumbnail drawn at the same place and
// scale, a split line between them (drag it, or the "Split" slider), zoom around the pointer
// (Ctrl + wheel, the buttons, + and -), pan by dragging, "Fit" and "1:1" (one thumbnail pixel per
// screen pixel). Nothing here changes layout outside the view: its box has a fixed size.
const $ = (id) => document.getElementById(id);
const MIN_SCALE = 0.02;
const MAX_ZOOM = 32; // device pixels per thumbnail pixel

export class Viewer {
  constructor() {
    this.box = $('viewer');
    this.thumb = $('preview');
    this.orig = $('original-view');
    this.origLayer = $('layer-orig');
    this.divider = $('divider');
    this.split = $('split');
    this.size = null;
    this.mode = 'fit';
    this.scale = 1;
    this.pan = { x: 0, y: 0 };
    this.drag = null;
    this.box.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.box.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.box.addEventListener('pointerup', () => { this.drag = null; });
    this.box.addEventListener('pointercancel', () => { this.drag = null; });
    this.box.addEventListener('wheel', (e) => this.wheel(e), { passive: false });
    this.box.addEventListener('keydown', (e) => this.key(e));
    this.split.addEventListener('input', () => this.layout());
    $('zoom-in').addEventListener('click', () => this.zoomBy(1.5));
    $('zoom-out').addEventListener('click', () => this.zoomBy(1 / 1.5));
    $('zoom-fit').addEventListener('click', () => this.setMode('fit'));
    $('zoom-1to1').addEventListener('click', () => this.setMode('1:1'));
    new ResizeObserver(() => this.layout()).observe(this.box);
    this.layout();
  }

  /** Shows a thumbnail (`width` x `height` pixels) and, when there is one, the original under it. */
  show({ thumbUrl, origUrl, width, height, fit, reset }) {
    if (reset) { this.mode = 'fit'; this.pan = { x: 0, y: 0 }; }
    this.size = { w: width, h: height };
    this.thumb.src = thumbUrl;
    this.thumb.hidden = false;
    // The original is drawn into the thumbnail's box: stretched for fill and contain (the same
    // aspect ratio), cropped around the centre for cover, as the engine crops.
    this.orig.style.objectFit = fit === 'cover' ? 'cover' : 'fill';
    if (origUrl) { if (this.orig.src !== origUrl) this.orig.src = origUrl; }
    this.setOriginal(!!origUrl);
    this.box.classList.add('has-image');
    this.layout();
  }

  setOriginal(shown) {
    this.origLayer.hidden = !shown;
    this.divider.hidden = !shown;
    this.split.disabled = !shown;
    $('side-labels').hidden = !shown;
  }

  clear() {
    this.size = null;
    this.thumb.hidden = true;
    this.thumb.removeAttribute('src');
    this.setOriginal(false);
    this.box.classList.remove('has-image');
    this.layout();
  }

  fitScale() {
    if (!this.size) return 1;
    const pad = 24;
    return Math.max(MIN_SCALE, Math.min((this.box.clientWidth - pad) / this.size.w, (this.box.clientHeight - pad) / this.size.h));
  }

  currentScale() {
    if (this.mode === 'fit') return this.fitScale();
    if (this.mode === '1:1') return 1 / devicePixelRatio;
    return this.scale;
  }

  setMode(mode) {
    this.mode = mode;
    this.pan = { x: 0, y: 0 };
    this.layout();
  }

  /** Zooms by `factor` keeping the point (`cx`, `cy`) of the view (default: its centre) still. */
  zoomBy(factor, cx = this.box.clientWidth / 2, cy = this.box.clientHeight / 2) {
    if (!this.size) return;
    const s0 = this.currentScale();
    const s1 = Math.min(MAX_ZOOM / devicePixelRatio, Math.max(MIN_SCALE, s0 * factor));
    const { w, h } = this.size;
    const bw = this.box.clientWidth;
    const bh = this.box.clientHeight;
    const left0 = (bw - w * s0) / 2 + this.pan.x;
    const top0 = (bh - h * s0) / 2 + this.pan.y;
    this.pan.x = cx - (cx - left0) * (s1 / s0) - (bw - w * s1) / 2;
    this.pan.y = cy - (cy - top0) * (s1 / s0) - (bh - h * s1) / 2;
    this.mode = 'zoom';
    this.scale = s1;
    this.layout();
  }

  layout() {
    const bw = this.box.clientWidth;
    const bh = this.box.clientHeight;
    const splitPct = Number(this.split.value);
    this.origLayer.style.width = `${splitPct}%`;
    this.divider.style.left = `${splitPct}%`;
    $('split-value').textContent = `${splitPct} %`;
    $('zoom-fit').setAttribute('aria-pressed', String(this.mode === 'fit'));
    $('zoom-1to1').setAttribute('aria-pressed', String(this.mode === '1:1'));
    if (!this.size) {
      $('zoom-level').textContent = '\u2014';
      return;
    }
    const s = this.currentScale();
    const { w, h } = this.size;
    const sw = w * s;
    const sh = h * s;
    // Keep some of the image in view whatever the pan.
    const limX = Math.max(0, (sw + bw) / 2 - 40);
    const limY = Math.max(0, (sh + bh) / 2 - 40);
    this.pan.x = Math.max(-limX, Math.min(limX, this.pan.x));
    this.pan.y = Math.max(-limY, Math.min(limY, this.pan.y));
    const left = (bw - sw) / 2 + this.pan.x;
    const top = (bh - sh) / 2 + this.pan.y;
    for (const img of [this.thumb, this.orig]) {
      Object.assign(img.style, { left: `${left}px`, top: `${top}px`, width: `${sw}px`, height: `${sh}px` });
    }
    const devicePx = s * devicePixelRatio;
    this.thumb.classList.toggle('pixelated', devicePx > 1.01);
    this.box.classList.toggle('zoomed', sw > bw || sh > bh);
    $('zoom-level').textContent = `${Math.round(devicePx * 100)} %${this.mode === 'fit' ? ' (fit)' : this.mode === '1:1' ? ' (1:1)' : ''}`;
    $('zoom-level').title = `${Math.round(sw)} \u00d7 ${Math.round(sh)} CSS pixels on screen for ${w} \u00d7 ${h} thumbnail pixels`;
  }

  pointerDown(e) {
    if (!this.size || e.button !== 0) return;
    const rect = this.box.getBoundingClientRect();
    const splitX = rect.left + rect.width * Number(this.split.value) / 100;
    const onSplit = !this.divider.hidden && Math.abs(e.clientX - splitX) < 16;
    this.drag = onSplit
      ? { kind: 'split' }
      : { kind: 'pan', x: e.clientX, y: e.clientY, pan: { ...this.pan } };
    this.box.setPointerCapture(e.pointerId);
    e.preventDefault();
  }

  pointerMove(e) {
    if (!this.drag) return;
    if (this.drag.kind === 'split') {
      const rect = this.box.getBoundingClientRect();
      this.split.value = String(Math.round(Math.max(0, Math.min(1, (e.clientX - rect.left) / rect.width)) * 100));
    } else {
      this.pan.x = this.drag.pan.x + e.clientX - this.drag.x;
      this.pan.y = this.drag.pan.y + e.clientY - this.drag.y;
    }
    this.layout();
  }

  wheel(e) {
    // A plain wheel scrolls the page; Ctrl + wheel (and a trackpad pinch) zooms the view.
    if (!this.size || !(e.ctrlKey || e.metaKey)) return;
    e.preventDefault();
    const rect = this.box.getBoundingClientRect();
    this.zoomBy(Math.exp(-e.deltaY / 300), e.clientX - rect.left, e.clientY - rect.top);
  }

  key(e) {
    if (!this.size) return;
    const step = 40;
    const moves = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (e.key === '+' || e.key === '=') this.zoomBy(1.5);
    else if (e.key === '-') this.zoomBy(1 / 1.5);
    else if (e.key === '0') this.setMode('fit');
    else if (e.key === '1') this.setMode('1:1');
    else if (moves[e.key]) {
      this.pan.x += moves[e.key][0];
      this.pan.y += moves[e.key][1];
      this.layout();
    } else return;
    e.preventDefault();
  }
}
