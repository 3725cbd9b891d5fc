/** useQuery: a newer request aborts the one in flight, and a stale answer is never shown. */
import { act, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { CUSTOMERS, useQuery } from "./api";
import { connection, deferred, mockApi, renderWithBridge } from "./test/utils";

const customer = (name: string) => ({ email: `${name.toLowerCase()}@example.com`, name, userId: null, orderCount: 1 });
const answer = (...names: string[]) => ({ qbCustomers: connection(names.map(customer)) });

function Search() {
  const [search, setSearch] = useState("");
  const customers = useQuery(CUSTOMERS, { search, first: 10 });
  return (
    <>
      <input aria-label="Search" value={search} onChange={(e) => setSearch(e.target.value)} />
      {customers.loading ? <p>Loading</p> : null}
      <ul aria-label="Names">
        {customers.data?.qbCustomers.edges.map((e) => <li key={e!.node.email}>{e!.node.name}</li>)}
      </ul>
    </>
  );
}

describe("useQuery", () => {
  it("aborts a request when newer variables supersede it, and never shows its late answer", async () => {
    const answers = new Map<string, ReturnType<typeof deferred<unknown>>>();
    const api = mockApi({
      QbCustomers: (variables) => {
        const held = deferred<unknown>();
        answers.set(String(variables.search), held);
        return held.promise;
      },
    });
    renderWithBridge(<Search />);
    const user = userEvent.setup();
    await user.type(screen.getByRole("textbox", { name: "Search" }), "a");
    await waitFor(() => expect(answers.has("a")).toBe(true));
    await user.type(screen.getByRole("textbox", { name: "Search" }), "b");
    await waitFor(() => expect(answers.has("ab")).toBe(true));

    const [, first, second] = api.named("QbCustomers"); // "", "a", "ab"
    expect(first.variables).toMatchObject({ search: "a" });
    expect(first.signal?.aborted).toBe(true);
    expect(second.signal?.aborted).toBe(false);

    // the newer answer comes first, the superseded one last (its fetch ignored the abort)
    await act(async () => answers.get("ab")!.resolve(answer("Bob")));
    expect(await screen.findByText("Bob")).toBeInTheDocument();
    await act(async () => answers.get("a")!.resolve(answer("Alice")));
    await act(async () => answers.get("")?.resolve(answer("Everyone")));

    expect(screen.getByText("Bob")).toBeInTheDocument();
    expect(screen.queryByText("Alice")).not.toBeInTheDocument();
    expect(screen.queryByText("Everyone")).not.toBeInTheDocument();
    expect(screen.queryByText("Loading")).not.toBeInTheDocument();
  });

  it("aborts the request in flight when the component unmounts", async () => {
    const held = deferred<unknown>();
    const api = mockApi({ QbCustomers: () => held.promise });
    const { unmount } = renderWithBridge(<Search />);
    await waitFor(() => expect(api.named("QbCustomers")).toHaveLength(1));
    unmount();
    expect(api.named("QbCustomers")[0].signal?.aborted).toBe(true);
    await act(async () => held.resolve(answer("Late")));
  });

  it("aborts the request in flight on reload and shows the reloaded answer", async () => {
    const held = [deferred<unknown>(), deferred<unknown>()];
    let n = 0;
    const api = mockApi({ QbCustomers: () => held[n++].promise });
    function Reloading() {
      const customers = useQuery(CUSTOMERS, { first: 10 });
      return (
        <>
          <button type="button" onClick={customers.reload}>Reload</button>
          <p>{customers.data?.qbCustomers.edges[0]?.node.name ?? "none"}</p>
        </>
      );
    }
    renderWithBridge(<Reloading />);
    await waitFor(() => expect(api.named("QbCustomers")).toHaveLength(1));
    await userEvent.setup().click(screen.getByRole("button", { name: "Reload" }));
    await waitFor(() => expect(api.named("QbCustomers")).toHaveLength(2));
    expect(api.named("QbCustomers")[0].signal?.aborted).toBe(true);

    await act(async () => held[1].resolve(answer("Fresh")));
    await act(async () => held[0].resolve(answer("Stale")));
    expect(screen.getByText("Fresh")).toBeInTheDocument();
    expect(screen.queryByText("Stale")).not.toBeInTheDocument();
  });
});
