// CloudFront Function (cloudfront-js-2.0, viewer request) of thumbprint's CDN: the Accept
// header becomes "image/avif,image/webp", "image/webp" or nothing before the cache key is made,
// so the cache holds three variants of an image, not one per browser ("image/avif" alone, for a
// client that takes AVIF but not WebP, is a fourth no browser sends). It decides as the service
// does (service/src/negotiate.rs, takes): a type counts when Accept names it without q=0.
function takes(accept, media) {
  var ranges = accept.split(',');
  var found = false;
  for (var i = 0; i < ranges.length; i++) {
    var parts = ranges[i].split(';');
    if (parts[0].trim().toLowerCase() !== media) {
      continue;
    }
    var refused = false;
    for (var j = 1; j < parts.length; j++) {
      var p = parts[j].trim();
      // q=0 in any decimal spelling (as Rust reads an f32: 0, 0.0, +0, .0, 0e3).
      var q = p.indexOf('q=') === 0 ? p.substring(2).trim() : '';
      if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(q) && Number(q) === 0) {
        refused = true;
      }
    }
    if (!refused) {
      found = true;
    }
  }
  return found;
}

function handler(event) {
  var request = event.request;
  var accept = request.headers.accept;
  var value = accept && accept.value ? accept.value : '';
  var avif = takes(value, 'image/avif');
  var webp = takes(value, 'image/webp');
  var kept = [];
  if (avif) {
    kept.push('image/avif');
  }
  if (webp) {
    kept.push('image/webp');
  }
  if (kept.length > 0) {
    request.headers.accept = { value: kept.join(',') };
  } else {
    delete request.headers.accept;
  }
  return request;
}
