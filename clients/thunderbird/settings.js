// The user's own servers: the names a Caliop-Privacy `by=` must carry for its grade to count as checked.
/* exported caliopSettings */
const caliopSettings = {
  async stampers() {
    const { trustedStampers } = await messenger.storage.local.get({ trustedStampers: '' });
    return String(trustedStampers ?? '');
  },
  async setStampers(text) {
    await messenger.storage.local.set({ trustedStampers: String(text).slice(0, 2000) });
  },
  /** The view of one displayed message, from its full header map. */
  async viewOfMessage(messageId) {
    const full = await messenger.messages.getFull(messageId);
    return CaliopHeaders.viewOf(full.headers ?? {}, { trustedStampers: await this.stampers() });
  },
};
