/** Mappings: Saleor SKUs that QuickBooks knows under other item names, and Saleor customers who
 * are customers QuickBooks already has. Each section lists what has no mapping yet (with a
 * picker of our copy of QuickBooks' list, and suggested customers to confirm) and what is
 * mapped (deletable). Changing them needs the Manage plugins permission, like the settings. */
import { actions } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { type ReactNode, useEffect, useId, useState } from "react";

import {
  asApiError,
  type Connection,
  CUSTOMER_MAPPING_DELETE,
  CUSTOMER_MAPPING_SET,
  CUSTOMER_MAPPINGS,
  type CustomerMapping,
  graphql,
  ITEM_MAPPING_DELETE,
  ITEM_MAPPING_SET,
  ITEM_MAPPINGS,
  type ItemMapping,
  type SyncError,
  type TypedDocument,
  UNMAPPED_CUSTOMERS,
  UNMAPPED_SKUS,
  type UnmappedCustomer,
} from "../api";
import { useBridge, useBridgeState } from "../bridge";
import { ConfirmPanel } from "../components/ConfirmPanel";
import { ListPicker } from "../components/ListPicker";
import { Badge, Empty, ErrorNotice, Heading, Loading, Notice, Pager } from "../components/ui";
import { formatDateTime, plural } from "../format";
import { type PagedQuery, usePagedQuery } from "../paging";

/** The pickers offer what a setting naming an item or the single customer may name: items that
 * can carry a line, and customers (qbQuickBooksListEntries(setting: …)); the mapping mutations
 * check the name the same way. */
const ITEM_CHOICES = "defaultItemName";
const CUSTOMER_CHOICES = "singleCustomerName";

export const PAGE_SIZE = 20;

function useDebounced(value: string) {
  const [debounced, setDebounced] = useState(value.trim());
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(value.trim()), 250);
    return () => window.clearTimeout(timer);
  }, [value]);
  return debounced;
}

type Outcome = { tone: "success" | "error"; title: string; message: string } | null;

/** Runs one mapping mutation: its typed errors, or a success notice and `then`. */
function useChange() {
  const bridge = useBridge();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const run = async <D, V>(
    mutation: TypedDocument<D, V>,
    variables: V,
    errorsOf: (data: D) => SyncError[] | undefined,
    { failed, done, then }: { failed: string; done: string; then: () => void },
  ) => {
    setBusy(true);
    setOutcome(null);
    try {
      const data = await graphql(bridge, mutation, variables);
      const errors = errorsOf(data) ?? [];
      if (errors.length > 0) {
        setOutcome({ tone: "error", title: failed, message: errors.map((e) => e.message).join(" ") });
        return;
      }
      setOutcome({ tone: "success", title: done, message: "" });
      bridge.dispatch(actions.Notification({ status: "success", title: done })).catch(() => undefined);
      then();
    } catch (error) {
      setOutcome({ tone: "error", title: failed, message: asApiError(error).message });
    } finally {
      setBusy(false);
    }
  };
  return { busy, outcome, run, clear: () => setOutcome(null) };
}

function OutcomeNotice({ outcome }: { outcome: Outcome }) {
  if (!outcome) return null;
  return outcome.tone === "error" ? (
    <ErrorNotice title={outcome.title} error={outcome.message} />
  ) : (
    <Notice tone="success">{outcome.title}</Notice>
  );
}

function SearchBox({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="qb-field">
      <span>{label}</span>
      <input type="search" value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}

function ListState<D, N>({
  query,
  loadingLabel,
  errorTitle,
  empty,
  children,
}: {
  query: PagedQuery<D, N>;
  loadingLabel: string;
  errorTitle: string;
  empty: ReactNode;
  children: (connection: Connection<N>, nodes: N[]) => ReactNode;
}) {
  if (query.loading && !query.connection) return <Loading label={loadingLabel} />;
  if (query.error) return <ErrorNotice title={errorTitle} error={query.error} onRetry={query.reload} />;
  if (!query.connection) return null;
  if (query.nodes.length === 0) return <>{empty}</>;
  return <>{children(query.connection, query.nodes)}</>;
}

/** A name typed or picked from QuickBooks' list, and the button that maps to it. */
function MapTo({
  choices,
  label,
  initial = "",
  busy,
  onMap,
  onCancel,
}: {
  choices: string;
  label: string;
  initial?: string;
  busy: boolean;
  onMap: (fullName: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const [value, setValue] = useState(initial);
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <label className="qb-field" htmlFor={id}>
        <span>{label}</span>
      </label>
      <ListPicker
        setting={choices}
        id={id}
        label={label}
        value={value}
        onChange={setValue}
        disabled={busy}
        invalid={false}
      />
      <Box display="flex" gap={2}>
        <Button variant="primary" size="small" disabled={busy || !value.trim()} onClick={() => onMap(value.trim())}>
          {busy ? "Saving…" : "Map"}
        </Button>
        <Button variant="tertiary" size="small" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      </Box>
    </Box>
  );
}

/** A mapping whose record QuickBooks' list, as last read, no longer has (or has inactive). */
function NotInQuickBooks({ what }: { what: "item" | "customer" }) {
  return (
    <>
      <br />
      <Badge tone="warning">Not in QuickBooks</Badge>{" "}
      <Text size={2} color="default2">
        QuickBooks' {what}s, as last read, no longer have it active: QuickBooks would refuse the{" "}
        {what === "item" ? "lines" : "orders"}. Map {what === "item" ? "the SKU" : "the customer"}{" "}
        again.
      </Text>
    </>
  );
}

// --- items ------------------------------------------------------------------------------------

export function ItemMappings() {
  const { locale } = useBridgeState();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search);
  const [picking, setPicking] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ItemMapping | null>(null);
  const change = useChange();
  const unmapped = usePagedQuery(UNMAPPED_SKUS, { search: debounced || null, first: PAGE_SIZE },
                                 (data) => data.qbUnmappedSkus);
  const mapped = usePagedQuery(ITEM_MAPPINGS, { first: PAGE_SIZE }, (data) => data.qbItemMappings);
  const reload = () => {
    unmapped.reload();
    mapped.reload();
  };

  const map = (sku: string, itemFullName: string) =>
    change.run(ITEM_MAPPING_SET, { sku, itemFullName }, (data) => data.qbItemMappingSet?.errors, {
      failed: `SKU ${sku} was not mapped`,
      done: `SKU ${sku} now uses the QuickBooks item “${itemFullName}”.`,
      then: () => {
        setPicking(null);
        reload();
      },
    });
  const remove = (mapping: ItemMapping) =>
    change.run(ITEM_MAPPING_DELETE, { sku: mapping.sku }, (data) => data.qbItemMappingDelete?.errors, {
      failed: `The mapping of SKU ${mapping.sku} was not removed`,
      done: `SKU ${mapping.sku} follows the item rule again.`,
      then: () => {
        setRemoving(null);
        mapped.reset();
        reload();
      },
    });

  return (
    <Box as="section" aria-labelledby="qb-item-mappings" display="flex" flexDirection="column" gap={3}>
      <Heading level={3}>
        <span id="qb-item-mappings">Items</span>
      </Heading>
      <Text size={3} color="default2">
        A SKU QuickBooks knows under another name goes on that item: it is never created, whatever
        the item settings say. Below are the SKUs of the store's orders that QuickBooks has no item
        for, as far as its list was last read.
      </Text>
      <OutcomeNotice outcome={change.outcome} />
      <SearchBox label="Search SKUs or products" value={search} onChange={setSearch} />
      <ListState
        query={unmapped}
        loadingLabel="Loading SKUs without an item…"
        errorTitle="Could not load the SKUs without an item"
        empty={
          <Empty title={debounced ? "No SKU matches" : "Every SKU has its QuickBooks item"}>
            {debounced
              ? `No SKU without a QuickBooks item matches “${debounced}”.`
              : "Each SKU of the store's orders is an item of QuickBooks' list, or mapped."}
          </Empty>
        }
      >
        {(connection, nodes) => (
          <>
            <Box overflowX="auto">
              <table className="qb-table" aria-label="SKUs without a QuickBooks item" aria-busy={unmapped.loading}>
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">Product</th>
                    <th scope="col">Orders</th>
                    <th scope="col">Without a mapping</th>
                    <th scope="col">
                      <span className="qb-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((node) => (
                    <tr key={node.sku} data-testid="unmapped-sku">
                      <td className="qb-wrap">{node.sku}</td>
                      <td className="qb-wrap">{node.productName}</td>
                      <td className="qb-num">{node.orderCount}</td>
                      <td className="qb-wrap">
                        the item “{node.ruleItemName}”, created or replaced as the missing item
                        setting says
                      </td>
                      <td>
                        {picking === node.sku ? (
                          <MapTo
                            choices={ITEM_CHOICES}
                            label={`QuickBooks item for SKU ${node.sku}`}
                            busy={change.busy}
                            onMap={(name) => map(node.sku, name)}
                            onCancel={() => setPicking(null)}
                          />
                        ) : (
                          <Button
                            variant="secondary"
                            size="small"
                            aria-label={`Map SKU ${node.sku} to a QuickBooks item`}
                            onClick={() => {
                              change.clear();
                              setPicking(node.sku);
                            }}
                          >
                            Map to an item
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Box>
            <Pager
              label="Pages of SKUs without an item"
              pages={unmapped}
              summary={plural(connection.totalCount, "SKU", "SKUs")}
            />
          </>
        )}
      </ListState>

      <Heading level={3}>Mapped SKUs</Heading>
      {removing ? (
        <ConfirmPanel
          title={`Remove the mapping of SKU ${removing.sku}?`}
          confirmLabel="Remove"
          busyLabel="Removing…"
          cancelLabel="Keep it"
          busy={change.busy}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          From the next export on, its lines use the item the item settings give it, not “
          {removing.itemFullName}”. What is already in QuickBooks stays as it is.
        </ConfirmPanel>
      ) : null}
      <ListState
        query={mapped}
        loadingLabel="Loading mapped SKUs…"
        errorTitle="Could not load the mapped SKUs"
        empty={<Text size={3} color="default2">No SKU is mapped yet.</Text>}
      >
        {(connection, nodes) => (
          <>
            <Box overflowX="auto">
              <table className="qb-table" aria-label="Mapped SKUs" aria-busy={mapped.loading}>
                <thead>
                  <tr>
                    <th scope="col">SKU</th>
                    <th scope="col">QuickBooks item</th>
                    <th scope="col">Set</th>
                    <th scope="col">
                      <span className="qb-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((node) => (
                    <tr key={node.sku} data-testid="item-mapping">
                      <td className="qb-wrap">{node.sku}</td>
                      <td className="qb-wrap">
                        {node.itemFullName}
                        {node.inQuickBooks ? null : <NotInQuickBooks what="item" />}
                      </td>
                      <td className="qb-wrap">
                        {node.setBy || "—"}, {formatDateTime(node.setAt, locale)}
                      </td>
                      <td>
                        <Button
                          variant="tertiary"
                          size="small"
                          aria-label={`Remove the mapping of SKU ${node.sku}`}
                          onClick={() => {
                            change.clear();
                            setRemoving(node);
                          }}
                        >
                          Remove
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Box>
            <Pager
              label="Pages of mapped SKUs"
              pages={mapped}
              summary={plural(connection.totalCount, "mapping", "mappings")}
            />
          </>
        )}
      </ListState>
    </Box>
  );
}

// --- customers --------------------------------------------------------------------------------

const MATCHED_BY = { EMAIL: "same e-mail", NAME: "same name" } as const;

export function CustomerMappings() {
  const { locale } = useBridgeState();
  const [search, setSearch] = useState("");
  const debounced = useDebounced(search);
  const [picking, setPicking] = useState<string | null>(null);
  const [removing, setRemoving] = useState<CustomerMapping | null>(null);
  const change = useChange();
  const unmapped = usePagedQuery(UNMAPPED_CUSTOMERS, { search: debounced || null, first: PAGE_SIZE },
                                 (data) => data.qbUnmappedCustomers);
  const mapped = usePagedQuery(CUSTOMER_MAPPINGS, { first: PAGE_SIZE }, (data) => data.qbCustomerMappings);
  const reload = () => {
    unmapped.reload();
    mapped.reload();
  };

  const confirm = (customer: UnmappedCustomer, customerFullName: string) =>
    change.run(CUSTOMER_MAPPING_SET, { email: customer.email, customerFullName },
               (data) => data.qbCustomerMappingSet?.errors, {
      failed: `${customer.email} was not mapped`,
      done: `The orders of ${customer.email} now go to the QuickBooks customer “${customerFullName}”.`,
      then: () => {
        setPicking(null);
        reload();
      },
    });
  const remove = (mapping: CustomerMapping) =>
    change.run(CUSTOMER_MAPPING_DELETE, { email: mapping.email },
               (data) => data.qbCustomerMappingDelete?.errors, {
      failed: `The mapping of ${mapping.email} was not removed`,
      done: `The orders of ${mapping.email} follow the customer settings again.`,
      then: () => {
        setRemoving(null);
        mapped.reset();
        reload();
      },
    });

  return (
    <Box as="section" aria-labelledby="qb-customer-mappings" display="flex" flexDirection="column" gap={3}>
      <Heading level={3}>
        <span id="qb-customer-mappings">Customers</span>
      </Heading>
      <Text size={3} color="default2">
        A Saleor customer who is already a customer in QuickBooks (under another name, or a job of
        a company) has their orders go there once you confirm it; no customer is created for them.
        QuickBooks customers with the same e-mail address or name are suggested.
      </Text>
      <OutcomeNotice outcome={change.outcome} />
      <SearchBox label="Search customers by name or e-mail" value={search} onChange={setSearch} />
      <ListState
        query={unmapped}
        loadingLabel="Loading customers without a mapping…"
        errorTitle="Could not load the customers without a mapping"
        empty={
          <Empty title={debounced ? "No customer matches" : "Every customer is mapped"}>
            {debounced
              ? `No customer without a mapping matches “${debounced}”.`
              : "Every customer of the store's orders has a QuickBooks customer confirmed."}
          </Empty>
        }
      >
        {(connection, nodes) => (
          <>
            <Box overflowX="auto">
              <table className="qb-table" aria-label="Customers without a mapping" aria-busy={unmapped.loading}>
                <thead>
                  <tr>
                    <th scope="col">Customer</th>
                    <th scope="col">Orders</th>
                    <th scope="col">Suggested QuickBooks customers</th>
                    <th scope="col">
                      <span className="qb-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((node) => (
                    <tr key={node.email} data-testid="unmapped-customer">
                      <td className="qb-wrap">
                        {node.name || node.email}
                        {node.name ? (
                          <>
                            <br />
                            <Text size={2} color="default2">
                              {node.email}
                            </Text>
                          </>
                        ) : null}
                      </td>
                      <td className="qb-num">{node.orderCount}</td>
                      <td className="qb-wrap">
                        {node.suggestions.length === 0 ? (
                          <Text size={2} color="default2">
                            None looks alike: the customer settings name (and create) theirs.
                          </Text>
                        ) : (
                          <ul>
                            {node.suggestions.map((s) => (
                              <li key={s.customer.listId}>
                                <Button
                                  variant="secondary"
                                  size="small"
                                  disabled={change.busy || !s.customer.isActive}
                                  aria-label={`Confirm ${s.customer.fullName} for ${node.email}`}
                                  onClick={() => confirm(node, s.customer.fullName)}
                                >
                                  Confirm “{s.customer.fullName}”
                                </Button>{" "}
                                <Text size={2} color="default2">
                                  {MATCHED_BY[s.matchedBy]}
                                  {s.customer.isActive ? "" : ", inactive in QuickBooks"}
                                </Text>
                              </li>
                            ))}
                          </ul>
                        )}
                      </td>
                      <td>
                        {picking === node.email ? (
                          <MapTo
                            choices={CUSTOMER_CHOICES}
                            label={`QuickBooks customer for ${node.email}`}
                            initial={node.name}
                            busy={change.busy}
                            onMap={(name) => confirm(node, name)}
                            onCancel={() => setPicking(null)}
                          />
                        ) : (
                          <Button
                            variant="tertiary"
                            size="small"
                            aria-label={`Pick a QuickBooks customer for ${node.email}`}
                            onClick={() => {
                              change.clear();
                              setPicking(node.email);
                            }}
                          >
                            {node.suggestions.length ? "Pick another" : "Pick a customer"}
                          </Button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Box>
            <Pager
              label="Pages of customers without a mapping"
              pages={unmapped}
              summary={plural(connection.totalCount, "customer", "customers")}
            />
          </>
        )}
      </ListState>

      <Heading level={3}>Mapped customers</Heading>
      {removing ? (
        <ConfirmPanel
          title={`Remove the mapping of ${removing.email}?`}
          confirmLabel="Remove"
          busyLabel="Removing…"
          cancelLabel="Keep it"
          busy={change.busy}
          onConfirm={() => remove(removing)}
          onCancel={() => setRemoving(null)}
        >
          From the next export on, their orders go to the customer the customer settings name (added
          to QuickBooks if it lacks it), not “{removing.customerFullName}”. What is already in
          QuickBooks stays as it is.
        </ConfirmPanel>
      ) : null}
      <ListState
        query={mapped}
        loadingLabel="Loading mapped customers…"
        errorTitle="Could not load the mapped customers"
        empty={<Text size={3} color="default2">No customer is mapped yet.</Text>}
      >
        {(connection, nodes) => (
          <>
            <Box overflowX="auto">
              <table className="qb-table" aria-label="Mapped customers" aria-busy={mapped.loading}>
                <thead>
                  <tr>
                    <th scope="col">Saleor customer</th>
                    <th scope="col">QuickBooks customer</th>
                    <th scope="col">Confirmed</th>
                    <th scope="col">
                      <span className="qb-visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {nodes.map((node) => (
                    <tr key={node.email} data-testid="customer-mapping">
                      <td className="qb-wrap">{node.email}</td>
                      <td className="qb-wrap">
                        {node.customerFullName}
                        {node.currency ? ` (${node.currency})` : ""}
                        {node.inQuickBooks ? null : <NotInQuickBooks what="customer" />}
                      </td>
                      <td className="qb-wrap">
                        {node.confirmedBy || "—"}, {formatDateTime(node.confirmedAt, locale)}
                      </td>
                      <td>
                        <Button
                          variant="tertiary"
                          size="small"
                          aria-label={`Remove the mapping of ${node.email}`}
                          onClick={() => {
                            change.clear();
                            setRemoving(node);
                          }}
                        >
                          Remove
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </Box>
            <Pager
              label="Pages of mapped customers"
              pages={mapped}
              summary={plural(connection.totalCount, "mapping", "mappings")}
            />
          </>
        )}
      </ListState>
    </Box>
  );
}

export function MappingsView() {
  return (
    <Box display="flex" flexDirection="column" gap={6}>
      <Box display="flex" flexDirection="column" gap={2}>
        <Heading>Mappings</Heading>
        <Text size={3} color="default2">
          Where the names in Saleor and in QuickBooks differ, say which QuickBooks item or customer
          an order uses. Mappings come before the item and customer settings, and apply from the
          next Web Connector update on. Changing them needs the Manage plugins permission.
        </Text>
      </Box>
      <ItemMappings />
      <CustomerMappings />
    </Box>
  );
}
