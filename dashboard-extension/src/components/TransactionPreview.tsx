/**
 * The transaction an order becomes in QuickBooks, line by line, as a Web Connector run would send
 * it (qbOrderExport.quickbooksDocument: the export's own mapping and builder).
 */
import { Box, Text } from "@saleor/macaw-ui";

import type { TransactionPreview as Preview } from "../api";
import { useBridgeState } from "../bridge";
import { formatMoney, transactionLabel } from "../format";

export function TransactionPreview({ preview }: { preview: Preview }) {
  const { locale } = useBridgeState();
  const facts: [string, string][] = [
    ["Type", transactionLabel(preview.transactionType)],
    ["Number", preview.refNumber],
    ["Date", preview.txnDate],
    ["Customer", preview.customer + (preview.customerCurrency ? ` (in ${preview.customerCurrency})` : "")],
  ];
  if (preview.exchangeRate) facts.push(["Exchange rate", preview.exchangeRate]);
  if (preview.arAccount) facts.push(["Accounts receivable", preview.arAccount]);
  if (preview.depositToAccount) facts.push(["Deposit to", preview.depositToAccount]);
  return (
    <Box display="flex" flexDirection="column" gap={2} data-testid="transaction-preview">
      <Text as="h3" size={5} fontWeight="bold">
        As QuickBooks will receive it
      </Text>
      <dl className="qb-facts">
        {facts.map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <Box overflowX="auto">
        <table className="qb-table" aria-label="Lines as QuickBooks will receive them">
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col">Description</th>
              <th scope="col" className="qb-num">Qty</th>
              <th scope="col" className="qb-num">Rate</th>
              <th scope="col" className="qb-num">Amount</th>
              <th scope="col">Tax</th>
            </tr>
          </thead>
          <tbody>
            {preview.lines.map((line, index) => (
              <tr key={`${index}-${line.item}`} data-testid="preview-line">
                <td className="qb-wrap">{line.item}</td>
                <td className="qb-wrap">{line.description || "—"}</td>
                <td className="qb-num">{line.quantity ?? "—"}</td>
                <td className="qb-num">{line.rate ?? "—"}</td>
                <td className="qb-num">{formatMoney(line.amount.amount, line.amount.currency, locale)}</td>
                <td>{line.taxCode || "item's own"}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={4}>
                Total
              </th>
              <td className="qb-num" data-testid="preview-total">
                {formatMoney(preview.total.amount, preview.total.currency, locale)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      </Box>
      {preview.warnings.length > 0 ? (
        <ul className="qb-warnings">
          {preview.warnings.map((w) => (
            <li key={w}>
              <Text size={2}>{w}</Text>
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>
          <Text size={2}>The request itself (qbXML)</Text>
        </summary>
        <pre className="qb-mono qb-qbxml">{preview.qbxml}</pre>
      </details>
    </Box>
  );
}
