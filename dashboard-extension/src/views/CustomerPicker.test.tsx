import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { connection, mockApi, renderWithBridge } from "../test/utils";
import { CustomerPicker } from "./CustomerPicker";

const customer = (n: number) => ({ email: `c${n}@example.com`, name: `Customer ${n}`, userId: null, orderCount: 1 });

describe("CustomerPicker paging", () => {
  it("shows no pager when the matches fit on one page", async () => {
    mockApi({ QbCustomers: () => ({ qbCustomers: connection([customer(1), customer(2)]) }) });
    renderWithBridge(<CustomerPicker value={null} onChange={vi.fn()} />);
    await userEvent.setup().click(screen.getByRole("button", { name: "Choose a customer" }));
    await screen.findByRole("button", { name: /Customer 2/ });
    expect(screen.queryByRole("navigation", { name: "Customer pages" })).not.toBeInTheDocument();
  });

  it("pages through more matches than fit, with the end cursor", async () => {
    const api = mockApi({
      QbCustomers: (variables) =>
        variables.after === "ten"
          ? { qbCustomers: connection([customer(11)], { totalCount: 11 }) }
          : {
              qbCustomers: connection(
                Array.from({ length: 10 }, (_, i) => customer(i + 1)),
                { totalCount: 11, hasNextPage: true, endCursor: "ten" },
              ),
            },
    });
    const onChange = vi.fn();
    renderWithBridge(<CustomerPicker value={null} onChange={onChange} />);
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Choose a customer" }));
    const pages = within(await screen.findByRole("navigation", { name: "Customer pages" }));
    await user.click(pages.getByRole("button", { name: "Next page" }));

    await user.click(await screen.findByRole("button", { name: /Customer 11/ }));
    expect(onChange).toHaveBeenCalledWith({ value: "c11@example.com", label: "Customer 11 (c11@example.com)" });
    expect(api.named("QbCustomers").at(-1)!.variables).toMatchObject({ first: 10, after: "ten", search: null });
    // opened again, it starts at page 1
    await user.click(screen.getByRole("button", { name: "Choose a customer" }));
    await waitFor(() => expect(api.named("QbCustomers").at(-1)!.variables.after).toBe(null));
    await screen.findByRole("button", { name: /Customer 10/ });
    expect(within(screen.getByRole("navigation", { name: "Customer pages" })).getByText("Page 1")).toBeInTheDocument();
  });
});
