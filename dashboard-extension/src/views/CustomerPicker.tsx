/** Pick one customer (searching `qbCustomers`) or all customers. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";

import { CUSTOMERS } from "../api";
import { ErrorNotice, Loading, Pager } from "../components/ui";
import { usePagedQuery } from "../paging";

const PAGE_SIZE = 10;

export type CustomerChoice = { value: string; label: string } | null;

export function CustomerPicker({
  value,
  onChange,
}: {
  value: CustomerChoice;
  onChange: (choice: CustomerChoice) => void;
}) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  const customers = usePagedQuery(
    CUSTOMERS,
    { search: debounced || null, first: PAGE_SIZE },
    (data) => data.qbCustomers,
    { skip: !open },
  );

  if (!open) {
    return (
      <Box display="flex" flexDirection="column" gap={1}>
        <Text size={3} color="default2" id={`${id}-label`}>
          Customer
        </Text>
        <Box display="flex" alignItems="center" gap={2}>
          <Text size={4} fontWeight="medium" data-testid="customer-choice">
            {value ? value.label : "All customers"}
          </Text>
          <Button
            variant="tertiary"
            size="small"
            aria-describedby={`${id}-label`}
            onClick={() => {
              customers.reset();
              setOpen(true);
            }}
          >
            {value ? "Change customer" : "Choose a customer"}
          </Button>
          {value ? (
            <Button variant="tertiary" size="small" onClick={() => onChange(null)}>
              All customers
            </Button>
          ) : null}
        </Box>
      </Box>
    );
  }

  const choose = (choice: CustomerChoice) => {
    onChange(choice);
    setOpen(false);
    setSearch("");
  };
  const nodes = customers.nodes;
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <label className="qb-field">
        <span>Search customers by name or e-mail</span>
        <input
          type="search"
          autoFocus
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") setOpen(false);
          }}
          aria-controls={`${id}-results`}
        />
      </label>
      <Box id={`${id}-results`} aria-live="polite">
        {customers.loading ? (
          <Loading label="Searching customers…" />
        ) : customers.error ? (
          <ErrorNotice
            title="Could not load customers"
            error={customers.error}
            onRetry={customers.reload}
          />
        ) : (
          <ul className="qb-options" aria-label="Customers">
            <li>
              <button type="button" className="qb-option" onClick={() => choose(null)}>
                All customers
              </button>
            </li>
            {nodes.map((node) => (
              <li key={node.email}>
                <button
                  type="button"
                  className="qb-option"
                  aria-pressed={value?.value === (node.userId ?? node.email)}
                  onClick={() =>
                    choose({
                      value: node.userId ?? node.email,
                      label: node.name ? `${node.name} (${node.email})` : node.email,
                    })
                  }
                >
                  {node.name || node.email}
                  {node.name ? ` · ${node.email}` : ""} · {node.orderCount}{" "}
                  {node.orderCount === 1 ? "order" : "orders"}
                </button>
              </li>
            ))}
            {nodes.length === 0 ? (
              <li>
                <Text size={3} color="default2" padding={3} display="block">
                  No customer matches “{debounced}”.
                </Text>
              </li>
            ) : null}
          </ul>
        )}
        {/* more than one page of matches: the pager (none when they fit on one) */}
        {!customers.loading && !customers.error && (customers.hasPrevious || customers.hasNext) ? (
          <Pager label="Customer pages" pages={customers} />
        ) : null}
      </Box>
      <Box>
        <Button variant="tertiary" size="small" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </Box>
    </Box>
  );
}
