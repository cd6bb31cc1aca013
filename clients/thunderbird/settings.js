// Your servers: the names a Caliop-Privacy `by=` must carry for its grade to count as checked. The admin may set
// them for everyone (managed storage: an enterprise policy, or a managed-storage manifest, see docs/clients.md);
// the user may add their own in the options page. Both lists count.
/* exported caliopSettings */
const caliopSettings = {
  /** The admin's list (managed storage), '' when none is set. */
  async managedStampers() {
    try {
      const { trustedStampers } = await messenger.storage.managed.get('trustedStampers');
      return Array.isArray(trustedStampers) ? trustedStampers.join(', ') : String(trustedStampers ?? '');
    } catch {
      return ''; // no managed storage for this add-on: the usual case on a personal machine
    }
  },
  /** The user's own list (local storage). */
  async userStampers() {
    const { trustedStampers } = await messenger.storage.local.get({ trustedStampers: '' });
    return String(trustedStampers ?? '');
  },
  async setUserStampers(text) {
    await messenger.storage.local.set({ trustedStampers: String(text).slice(0, 2000) });
  },
  async stampers() {
    return [await this.managedStampers(), await this.userStampers()].filter((s) => s.trim() !== '').join(', ');
  },
  /** The view of one displayed message, from its full header map. */
  async viewOfMessage(messageId) {
    const full = await messenger.messages.getFull(messageId);
    return CaliopHeaders.viewOf(full.headers ?? {}, { trustedStampers: await this.stampers() });
  },
};
