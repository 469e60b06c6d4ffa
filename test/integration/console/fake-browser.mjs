// A browser for `rolecall console --browser`: follows the URL it is started with (redirects
// included, no cookies) and writes what it was started with, where it landed and the page it
// shows to $FAKE_BROWSER_OUT.
import { writeFileSync } from 'node:fs';

const url = process.argv.at(-1);
const res = await fetch(url);
writeFileSync(process.env.FAKE_BROWSER_OUT, JSON.stringify({ argv: process.argv.slice(2), status: res.status, url: res.url, body: await res.text() }));
