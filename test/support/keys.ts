// The master key of test runtimes: fixed, so a worker in another process (crash tests) and a
// reopened runtime read what the first one sealed.
import { parseMasterKey } from "../../src/store/crypto/master-key.js";

export const TEST_MASTER_KEY = parseMasterKey(
  "a7e1c0de5eed0ba5e0f7e57c0ffee00d15ea5edbadc0ffee0ddba11cafef00d5",
  "test key",
);
