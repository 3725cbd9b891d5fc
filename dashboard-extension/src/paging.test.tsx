/** usePagedQuery + <Pager>: the cursor paging every list uses. */
import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { HISTORY } from "./api";
import { Pager } from "./components/ui";
import { usePagedQuery } from "./paging";
import { connection, deferred, historyRecord, mockApi, renderWithBridge } from "./test/utils";

/** Three pages of two records; page n's end cursor is "p<n>". */
function pages(variables: Record<string, unknown>) {
  const page = variables.after ? Number(String(variables.after).slice(1)) + 1 : 1;
  const first = (page - 1) * 2 + 1;
  return {
    qbTransferHistory: connection([historyRecord(first), historyRecord(first + 1)], {
      totalCount: 6,
      hasNextPage: page < 3,
      endCursor: `p${page}`,
    }),
  };
}

function List() {
  const [failed, setFailed] = useState(false);
  const history = usePagedQuery(
    HISTORY,
    { filter: failed ? { state: "FAILED" } : {}, first: 2 },
    (data) => data.qbTransferHistory,
  );
  return (
    <>
      <button type="button" onClick={() => setFailed((f) => !f)}>
        Toggle
      </button>
      <button type="button" onClick={history.reset}>
        Start over
      </button>
      <ul aria-label="Records">
        {history.nodes.map((r) => (
          <li key={r.id}>#{r.orderNumber}</li>
        ))}
      </ul>
      {history.connection ? <Pager label="Test pages" pages={history} summary="6 attempts" /> : null}
    </>
  );
}

const shown = () => within(screen.getByRole("list", { name: "Records" })).queryAllByRole("listitem").map((li) => li.textContent);
const pager = () => within(screen.getByRole("navigation", { name: "Test pages" }));

describe("usePagedQuery", () => {
  it("goes forward with the end cursor and back through the cursors it kept", async () => {
    const api = mockApi({ QbTransferHistory: pages });
    renderWithBridge(<List />);
    const user = userEvent.setup();
    await waitFor(() => expect(shown()).toEqual(["#1", "#2"]));
    expect(pager().getByText("Page 1 · 6 attempts")).toBeInTheDocument();
    expect(pager().getByRole("button", { name: "Previous page" })).toBeDisabled();

    await user.click(pager().getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(shown()).toEqual(["#3", "#4"]));
    await user.click(pager().getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(shown()).toEqual(["#5", "#6"]));
    expect(pager().getByText(/Page 3/)).toBeInTheDocument();
    expect(pager().getByRole("button", { name: "Next page" })).toBeDisabled();

    await user.click(pager().getByRole("button", { name: "Previous page" }));
    await waitFor(() => expect(shown()).toEqual(["#3", "#4"]));
    expect(pager().getByText(/Page 2/)).toBeInTheDocument();
    expect(api.named("QbTransferHistory").map((c) => c.variables.after)).toEqual([null, "p1", "p2", "p1"]);
    expect(api.named("QbTransferHistory")[1].variables).toMatchObject({ filter: {}, first: 2 });
  });

  it("starts at page 1 when the other variables change, and on reset", async () => {
    const api = mockApi({ QbTransferHistory: pages });
    renderWithBridge(<List />);
    const user = userEvent.setup();
    await waitFor(() => expect(shown()).toEqual(["#1", "#2"]));
    await user.click(pager().getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(shown()).toEqual(["#3", "#4"]));

    await user.click(screen.getByRole("button", { name: "Toggle" }));
    await waitFor(() => expect(pager().getByText(/Page 1/)).toBeInTheDocument());
    expect(api.named("QbTransferHistory").at(-1)!.variables).toMatchObject({ filter: { state: "FAILED" }, after: null });

    await user.click(pager().getByRole("button", { name: "Next page" }));
    await waitFor(() => expect(pager().getByText(/Page 2/)).toBeInTheDocument());
    await user.click(screen.getByRole("button", { name: "Start over" }));
    await waitFor(() => expect(shown()).toEqual(["#1", "#2"]));
    expect(pager().getByText(/Page 1/)).toBeInTheDocument();
    expect(api.named("QbTransferHistory").at(-1)!.variables.after).toBe(null);
  });

  it("offers Next page only once the page is there, so a double click goes one page", async () => {
    const held = deferred<unknown>();
    mockApi({ QbTransferHistory: (variables) => (variables.after === "p1" ? held.promise : pages(variables)) });
    renderWithBridge(<List />);
    const user = userEvent.setup();
    await waitFor(() => expect(shown()).toEqual(["#1", "#2"]));
    await user.dblClick(pager().getByRole("button", { name: "Next page" }));

    // page 2 is asked for: page 1 still shows, Next waits for it
    expect(pager().getByText(/Page 2/)).toBeInTheDocument();
    expect(pager().getByRole("button", { name: "Next page" })).toBeDisabled();
    await act(async () => held.resolve(pages({ after: "p1" })));
    await waitFor(() => expect(shown()).toEqual(["#3", "#4"]));
    expect(pager().getByText(/Page 2/)).toBeInTheDocument();
    expect(pager().getByRole("button", { name: "Next page" })).toBeEnabled();
  });

  it("leaves out null edges", async () => {
    mockApi({
      QbTransferHistory: () => {
        const page = connection([historyRecord(1), historyRecord(2)]);
        return { qbTransferHistory: { ...page, edges: [page.edges[0], null, page.edges[1]] } };
      },
    });
    renderWithBridge(<List />);
    await waitFor(() => expect(shown()).toEqual(["#1", "#2"]));
  });
});
