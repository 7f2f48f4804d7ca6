// The campaign editor's live preview. The server turns the form into the campaign's content on every
// change (an htmx request) and renders a plain fallback that carries the content as JSON. When the
// nudges plugin's preview (window.BeckonNudgesPreview, /sdk/beckon-nudges-preview.js) is on the page,
// this hands it that content, so that the preview is drawn by the same code that draws the nudge for
// visitors; without it, the fallback stays. A survey's fallback says data-kind="survey", and the
// surveys plugin (window.BeckonSurveys) draws it.
(function () {
  'use strict';

  // What removes the preview drawn last, so that each change redraws instead of adding a nudge.
  var removeLast = null;

  function clear(stage) {
    if (typeof removeLast === 'function') {
      try {
        removeLast();
      } catch (e) {
        // A preview that cannot be removed is cleared with the stage below.
      }
    }
    removeLast = null;
    stage.replaceChildren();
  }

  function draw() {
    var stage = document.getElementById('nudge-stage');
    var source = document.querySelector('#campaign-preview [data-content]');
    var survey = source && source.getAttribute('data-kind') === 'survey';
    var plugin = survey ? window.BeckonSurveys : window.BeckonNudgesPreview;
    if (!stage) {
      return;
    }
    if (!source || !plugin || typeof plugin.preview !== 'function') {
      stage.hidden = true;
      return;
    }
    clear(stage);
    try {
      removeLast = plugin.preview(stage, JSON.parse(source.getAttribute('data-content')));
      stage.hidden = false;
      source.hidden = true;
    } catch (e) {
      // A plugin that cannot draw this content leaves the fallback in view.
      stage.hidden = true;
      source.hidden = false;
    }
  }

  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.target && event.target.id === 'campaign-preview') {
      draw();
    }
  });
  window.addEventListener('load', draw);

  // A survey question shows the fields of its type (the style sheet reads data-type).
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (select && select.name && /^q\d+\.type$/.test(select.name)) {
      var question = select.closest('.question');
      if (question) {
        question.setAttribute('data-type', select.value);
      }
    }
  });
})();
