// Runs first, in the <body>: tells govuk-frontend's CSS that script runs (its components then
// show their enhanced forms). A file, not an inline script, so the Content-Security-Policy can
// allow only the workspace's own scripts.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
