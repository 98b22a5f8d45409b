import { runCommand } from '../cli/run-command';
import { MasterKeyRotation } from './master-key-rotation';

/**
 * `npm run keys:rotate`: with ENCRYPTION_KEY set to the new master key and ENCRYPTION_KEY_PREVIOUS
 * to the old one, re-encrypts every sealed secret (provider keys, webhook signing secrets) under
 * the new key in one transaction (docs/playground.md, "Rotating the master key"). Safe to run again.
 */
runCommand(
  'keys:rotate',
  async (app) => {
    const result = await app.get(MasterKeyRotation).rotate();
    const tables = Object.entries(result.byTable)
      .map(([t, n]) => `${t}: ${n}`)
      .join(', ');
    console.log(
      result.rotated
        ? `[keys:rotate] re-encrypted ${result.rotated} secret(s) (${tables}) under master key version ${result.keyVersion}; ENCRYPTION_KEY_PREVIOUS can now be removed`
        : `[keys:rotate] every sealed secret is already under master key version ${result.keyVersion}; nothing to do`,
    );
  },
  (config) => {
    if (!config.encryption.previous)
      console.warn(
        '[keys:rotate] ENCRYPTION_KEY_PREVIOUS is not set: only keys already readable with ENCRYPTION_KEY can be handled',
      );
  },
);
