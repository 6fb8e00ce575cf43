// Test-only entry point: Apache Annotator's DOM matchers, bundled by esbuild for the
// browser tests (tests/browser/test_public_annotator.py) and never served to users.
import {
  createCssSelectorMatcher,
  createTextPositionSelectorMatcher,
  createTextQuoteSelectorMatcher,
} from "@apache-annotator/dom";

const REFINED = {
  TextQuoteSelector: createTextQuoteSelectorMatcher,
  TextPositionSelector: createTextPositionSelectorMatcher,
};

async function all(matches) {
  const found = [];
  for await (const match of matches) found.push(match);
  return found;
}

// Every range each selector of a W3C target resolves to on this page: a CssSelector picks
// the elements, and its refinedBy selector is matched inside each one, as the model says.
export async function resolve(target) {
  const results = [];
  for (const selector of target.selector) {
    const ranges = [];
    if (selector.type === "CssSelector") {
      for (const element of await all(createCssSelectorMatcher(selector)(document))) {
        const refine = REFINED[selector.refinedBy.type];
        ranges.push(...(await all(refine(selector.refinedBy)(element))));
      }
    } else {
      ranges.push(...(await all(REFINED[selector.type](selector)(document.body))));
    }
    results.push({ type: selector.refinedBy ? selector.refinedBy.type : selector.type,
                   texts: ranges.map((range) => range.toString()) });
  }
  return results;
}
