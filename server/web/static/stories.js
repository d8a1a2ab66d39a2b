// stories.js: the Stories page is rendered by the server; reload it (at
// most every few seconds) when someone changes the project, so the
// progress bars stay current.
let pending = false;
window.addEventListener('tacit:event', () => {
  if (pending) return;
  pending = true;
  setTimeout(() => location.reload(), 3000);
});
