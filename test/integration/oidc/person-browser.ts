// $BROWSER for CLI tests: signs in as alice in headless Chromium at the URL it is given.
import { ALICE, Person } from './person';

const url = process.argv[2];
if (!url) {
  console.error('usage: person-browser.ts URL');
  process.exit(2);
}
const person = new Person(ALICE);
try {
  await person.signIn(url);
} finally {
  await person.close();
}
