/**
 * A chat platform's name, as its channel plugin registers it (src/channels/registry.ts): `sim`,
 * `feishu`, `wechat` … The domain treats it as an opaque id, so adding a platform never touches
 * the domain; the policy file's `ids` keys are checked against the registry when it is loaded.
 */
export type Platform = string;
