// The CLI and the server's start-up lines speak the language of their environment (see
// server/environmentLanguage.ts); the tests read their English words whatever the machine's
// locale is. A test of another language sets its own.
process.env.LANGUAGE = 'en';
