// CloudFront Function (cloudfront-js-2.0, viewer request) of thumbprint's CDN: the Accept
// header becomes "image/webp" or nothing before the cache key is made, so the cache holds two
// variants of an image, not one per browser. It decides as the function does
// (service/src/signed/mod.rs, negotiate): WebP when Accept names image/webp without q=0.
function handler(event) {
  var request = event.request;
  var accept = request.headers.accept;
  var takesWebp = false;
  if (accept && accept.value) {
    var ranges = accept.value.split(',');
    for (var i = 0; i < ranges.length; i++) {
      var parts = ranges[i].split(';');
      if (parts[0].trim().toLowerCase() !== 'image/webp') {
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
        takesWebp = true;
      }
    }
  }
  if (takesWebp) {
    request.headers.accept = { value: 'image/webp' };
  } else {
    delete request.headers.accept;
  }
  return request;
}
