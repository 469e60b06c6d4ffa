// A stand-in for the person's browser, used as $BROWSER: approves the sign-in page it is given
// as the Identity Center user named in ROLECALL_TEST_PERSON ("user:password").
import { approve } from '../sandbox/browser';

const [userName, password] = (process.env.ROLECALL_TEST_PERSON ?? '').split(':');
const url = process.argv[2];
if (!url || !userName || !password) {
  console.error('usage: ROLECALL_TEST_PERSON=user:password approve-url.ts URL');
  process.exit(2);
}
await approve(url, { userName, password });
