/* global caliopSettings */
const input = document.getElementById('stampers');
caliopSettings.stampers().then((value) => { input.value = value; });
input.addEventListener('change', async () => {
  await caliopSettings.setStampers(input.value);
  document.getElementById('saved').textContent = 'Saved.';
});
