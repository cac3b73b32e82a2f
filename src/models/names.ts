// What a model's name says about it, read without loading any backend: the router, the keys
// lookup, the scripted backend and the web app all decide by the name alone.

/** The scripted stand-in (`scripted`, `scripted:<anything>`): no provider, no keys. */
export const isScripted = (model: string): boolean =>
  model === "scripted" || model.startsWith("scripted:");
