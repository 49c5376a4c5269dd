// Progressive enhancement for the feedback form: on a slow connection, a phone photo of several
// megabytes is shrunk in the browser before upload. The form works the same without this script; the
// server re-encodes every photo anyway. Served from the same origin, loaded with `defer`.
(function () {
  'use strict';
  var form = document.querySelector('form[enctype="multipart/form-data"]');
  var input = document.getElementById('photo');
  if (!form || !input || !window.DataTransfer || !window.createImageBitmap || !HTMLCanvasElement.prototype.toBlob) {
    return;
  }
  var MAX_SIDE = 1600; // the size the server keeps
  var sending = false;

  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || file.size < 400 * 1024) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) {
            resolve(file);
            return;
          }
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, '') + '.jpg', { type: 'image/jpeg' }));
        }, 'image/jpeg', 0.85);
      });
    }).catch(function () {
      return file; // the server will explain what it cannot use
    });
  }

  form.addEventListener('submit', function (event) {
    if (sending || !input.files || input.files.length === 0) {
      return;
    }
    event.preventDefault();
    sending = true;
    Promise.all(Array.prototype.map.call(input.files, shrink)).then(function (files) {
      var transfer = new DataTransfer();
      files.forEach(function (f) { transfer.items.add(f); });
      input.files = transfer.files;
    }).catch(function () {}).then(function () {
      form.submit();
    });
  });
})();
