// The workspace's script: it only improves pages that work without it.
//  - govuk-frontend's components (buttons, details, navigation, error summaries);
//  - the alert queue updates live: the server sends each alert that is raised or changes after
//    the list was taken (server-sent events); the browser reconnects after a drop and resumes
//    from the last update it had (Last-Event-ID), so nothing is missed or repeated.
import { initAll } from '/govuk/govuk-frontend.min.js'

initAll()

const queue = document.querySelector('.homeward-alert-queue')
if (queue && window.EventSource) {
  const live = document.getElementById('alert-live')
  const cursor = queue.dataset.feedCursor || ''
  const source = new EventSource('/alerts/events?cursor=' + encodeURIComponent(cursor))
  source.addEventListener('alert', (event) => {
    const update = JSON.parse(event.data)
    const template = document.createElement('template')
    template.innerHTML = update.row.trim()
    const row = template.content.firstElementChild
    if (!row) return
    row.classList.add('homeward-updated')
    const existing = Array.from(queue.querySelectorAll('tr[data-alert-id]'))
      .find((tr) => tr.dataset.alertId === update.id)
    if (existing) {
      existing.replaceWith(row)
    } else {
      queue.tBodies[0].prepend(row)
    }
    initAll({ scope: row })
    if (live) live.textContent = update.rule + ' for ' + (update.child || 'the hub') + ': ' + update.state
    queue.dataset.updates = String(Number(queue.dataset.updates || '0') + 1)
  })
  source.addEventListener('failed', (event) => {
    const { message } = JSON.parse(event.data)
    if (live) live.textContent = 'Live updates stopped: ' + message
    source.close()
  })
}
