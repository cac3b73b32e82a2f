// Encryption at rest: the cipher, the master key and the read-side plugin (see docs/security.md).
export { createCipher, isSealed, sealedFor, SealedValueError, SEALED_PREFIX } from "./cipher.js";
export type { Cipher } from "./cipher.js";
export {
  loadMasterKey,
  parseMasterKey,
  randomMasterKey,
  MasterKey,
  MASTER_KEY_FILE_NAME,
} from "./master-key.js";
export type { MasterKeySource } from "./master-key.js";
export { OpenSealedPlugin } from "./open-plugin.js";
export { checkMasterKey, MasterKeyMismatchError, MasterKeyMissingError } from "./key-check.js";
