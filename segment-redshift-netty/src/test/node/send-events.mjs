// Sends COUNT events of each call type with @segment/analytics-node to HOST (a segment-redshift
// receiver), each with the messageId node-<type>-<n>, then prints a JSON summary on stdout. The
// events are those RealClientContract (core's test sources) describes and checks in the warehouse.
// Usage: node send-events.mjs HOST WRITE_KEY COUNT
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, countText] = process.argv.slice(2)
const count = Number(countText)
const analytics = new Analytics({ writeKey, host, maxEventsInBatch: 100, flushInterval: 200 })

const summary = { sent: 0, errors: 0, responses: {}, firstError: null }
analytics.on('error', (err) => {
  summary.errors++
  summary.firstError ??= String(err && (err.reason || err.message || err.code || err))
})
analytics.on('http_response', (r) => {
  summary.responses[r.status] = (summary.responses[r.status] || 0) + 1
})

const started = Date.now()
for (let i = 0; i < count; i++) {
  const userId = `node-user-${i % 97}`
  analytics.identify({ messageId: `node-identify-${i}`, userId, traits: { plan: 'team', seats: (i % 97) % 7 } })
  analytics.track({ messageId: `node-track-${i}`, userId, event: 'Order Completed', properties: { total: i / 4, currency: 'EUR' } })
  analytics.page({ messageId: `node-page-${i}`, userId, name: 'Pricing', properties: { path: '/pricing' } })
  analytics.screen({ messageId: `node-screen-${i}`, userId, name: 'Home' })
  analytics.group({ messageId: `node-group-${i}`, userId, groupId: `org-${i % 13}`, traits: { name: 'Acme' } })
  analytics.alias({ messageId: `node-alias-${i}`, userId, previousId: `anon-${i}` })
  summary.sent += 6
}
await analytics.closeAndFlush({ timeout: 120000 })
summary.millis = Date.now() - started
console.log(JSON.stringify(summary))
process.exit(summary.errors === 0 ? 0 : 1)
