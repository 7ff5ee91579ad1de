/**
 * Focus after navigation: the shell swaps the page without a document load, so a screen reader would stay where
 * the click was. A page moves the focus to its heading once it has rendered it, as a document load would start
 * at the top.
 * @module
 */

/**
 * Focuses the element's main heading (an `h2` with `tabindex="-1"`), if it has rendered one; returns whether it
 * did, so a page can try again after its next render.
 * @param root - the page's render root
 */
export function focusHeading(root: ParentNode): boolean {
  const heading = root.querySelector<HTMLElement>('h2[tabindex="-1"]');
  if (!heading) return false;
  heading.focus({ preventScroll: false });
  return true;
}
