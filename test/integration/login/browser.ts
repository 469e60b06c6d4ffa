// $BROWSER for CLI tests: signs in at the AWS sign-in URL it is given as the person in
// ROLECALL_TEST_AWS_SIGNIN (JSON of SignInAs).
import { signInAt, type SignInAs } from './person';

const url = process.argv[2];
const who = JSON.parse(process.env.ROLECALL_TEST_AWS_SIGNIN ?? 'null') as SignInAs | null;
if (!url || !who) {
  console.error('usage: ROLECALL_TEST_AWS_SIGNIN=JSON browser.ts URL');
  process.exit(2);
}
await signInAt(url, who);
