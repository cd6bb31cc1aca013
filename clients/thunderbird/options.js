/* global caliopSettings */
const input = document.getElementById('stampers');
caliopSettings.userStampers().then((value) => { input.value = value; });
caliopSettings.managedStampers().then((value) => {
  if (value.trim() !== '') {
    document.getElementById('managed-list').textContent = value;
    document.getElementById('managed').hidden = false;
  }
});
input.addEventListener('change', async () => {
  await caliopSettings.setUserStampers(input.value);
  document.getElementById('saved').textContent = 'Saved.';
});
