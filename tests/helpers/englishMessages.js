// The CLI speaks the language of its environment (see scripts/cliLanguage.ts); the tests read its
// English words whatever the machine's locale is. A test of another language sets its own.
process.env.LANGUAGE = 'en';
