// Writes a gzip twin next to every text asset of the build; the API sends it to browsers that accept gzip,
// so a township's slow LAN carries the compressed bundle without the server compressing on every request.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const TEXT = /\.(js|css|html|svg|json)$/
let raw = 0
let zipped = 0
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (TEXT.test(name)) {
      const data = readFileSync(path)
      const gz = gzipSync(data, { level: 9 })
      writeFileSync(path + '.gz', gz)
      raw += data.length
      zipped += gz.length
    }
  }
}
walk('dist')
console.log(`console bundle: ${(raw / 1024).toFixed(0)} KB, gzipped ${(zipped / 1024).toFixed(0)} KB`)
