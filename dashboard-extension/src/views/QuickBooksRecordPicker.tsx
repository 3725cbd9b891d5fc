/** Pick a QuickBooks item or customer from our copy of its list (`qbQuickBooksListEntries`),
 * searching by name: 25,000 customers are never loaded at once. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";

import {
  type Connection,
  QUICKBOOKS_RECORDS,
  type QuickBooksListKey,
  type QuickBooksRecord,
  useQuery,
} from "../api";
import { ErrorNotice, Loading } from "../components/ui";

/** How many matches the picker shows; a longer list asks for a more precise search. */
export const PICKER_SIZE = 10;

const WORDS: Record<QuickBooksListKey, { one: string; many: string }> = {
  ITEMS: { one: "item", many: "items" },
  CUSTOMERS: { one: "customer", many: "customers" },
};

export function QuickBooksRecordPicker({
  list,
  label,
  initialSearch = "",
  busy = false,
  onPick,
  onCancel,
}: {
  list: QuickBooksListKey;
  /** what the choice is for, e.g. "QuickBooks item for SKU TS-RED-M" */
  label: string;
  initialSearch?: string;
  busy?: boolean;
  onPick: (record: QuickBooksRecord) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const words = WORDS[list];
  const [search, setSearch] = useState(initialSearch);
  const [debounced, setDebounced] = useState(initialSearch.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(search.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [search]);
  const records = useQuery<{ qbQuickBooksListEntries: Connection<QuickBooksRecord> }>(
    QUICKBOOKS_RECORDS,
    { list, search: debounced || null, first: PICKER_SIZE },
  );
  const found = records.data?.qbQuickBooksListEntries;

  return (
    <Box display="flex" flexDirection="column" gap={2} className="qb-picker">
      <label className="qb-field">
        <span>{label}</span>
        <input
          type="search"
          autoFocus
          value={search}
          placeholder={`Search QuickBooks ${words.many} by name`}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Escape") onCancel();
          }}
          aria-controls={`${id}-results`}
        />
      </label>
      <Box id={`${id}-results`} aria-live="polite">
        {records.loading && !found ? (
          <Loading label={`Searching QuickBooks ${words.many}…`} />
        ) : records.error ? (
          <ErrorNotice
            title={`Could not load QuickBooks ${words.many}`}
            error={records.error}
            onRetry={records.reload}
          />
        ) : found && found.edges.length === 0 ? (
          <Text size={3} color="default2" padding={3} display="block">
            {debounced
              ? `No active QuickBooks ${words.one} matches “${debounced}”.`
              : `Our copy of QuickBooks' ${words.many} is empty: refresh QuickBooks' lists on the Settings tab, or let Web Connector run an update.`}
          </Text>
        ) : found ? (
          <>
            <ul className="qb-options" aria-label={`QuickBooks ${words.many}`}>
              {found.edges.map(({ node }) => (
                <li key={node.listId}>
                  <button
                    type="button"
                    className="qb-option"
                    disabled={busy}
                    onClick={() => onPick(node)}
                  >
                    {node.fullName}
                    {node.email ? ` · ${node.email}` : ""}
                    {node.currency ? ` · ${node.currency}` : ""}
                  </button>
                </li>
              ))}
            </ul>
            {found.totalCount > found.edges.length ? (
              <Text size={2} color="default2">
                {found.edges.length} of {found.totalCount} shown: type more of the name to narrow
                them down.
              </Text>
            ) : null}
          </>
        ) : null}
      </Box>
      <Box>
        <Button variant="tertiary" size="small" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </Box>
    </Box>
  );
}
