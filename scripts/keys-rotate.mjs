#!/usr/bin/env node
// `npm run keys:rotate`: builds the backend if its sources are newer than the build, then
// re-encrypts every sealed secret (provider keys, webhook secrets) under ENCRYPTION_KEY, opening them with
// ENCRYPTION_KEY_PREVIOUS (one transaction; safe to run again). Reads .env like the server.
import { runBuiltEntry } from './run-built.mjs';

runBuiltEntry('common/security/keys-rotate.main.js');
