/**
 * The GraphQL documents the app sends (saleor_qb_sync/graphql/schema.graphql). Plain strings, no
 * imports: `npm run codegen` (scripts/codegen.mjs) loads this module, checks every exported
 * operation against the schema and writes their result and variable types, and a typed copy of
 * each export, to src/generated/graphql.ts. Import the documents from "./api" (the typed ones).
 *
 * Each export holds one operation and the fragments it uses (appended, so the string sent is a
 * complete document). A fragment's fields become a named type (`…FieldsFragment`).
 */

const PAGE_INFO = /* GraphQL */ `
  fragment PageInfoFields on PageInfo {
    hasNextPage hasPreviousPage startCursor endCursor
  }
`;

const SYNC_ERROR = /* GraphQL */ `
  fragment SyncErrorFields on QbSyncError {
    field message code
  }
`;

export const SYNC_STATUS = /* GraphQL */ `
  query QbSyncStatus {
    qbSyncStatus {
      exportMode
      lastCheckIn { at startedAt summary state ordersDone ordersFailed lastError }
      queuedOperations
      queuedOrders
      configurationComplete
      missingConfiguration
      webConnectorUsername
      runEveryMinutes
      expectedCheckInBy
      checkInOverdue
      quickbooksProblems
      quickbooksMulticurrency
      quickbooksCurrencies
    }
  }
`;

export const CUSTOMERS = /* GraphQL */ `
  query QbCustomers($search: String, $first: Int, $after: String) {
    qbCustomers(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges { node { email name userId orderCount } }
    }
  }
  ${PAGE_INFO}
`;

/** The fields of a preview row, also what the order popup shows (QbOrderTransferPreviewRow). */
const PREVIEW_ROW = /* GraphQL */ `
  fragment PreviewRowFields on QbOrderTransferPreviewRow {
    orderId number createdAt channel customerName customerEmail
    total { amount currency }
    status chargeStatus exported
    lastExport { at transactionType txnId refNumber }
    plannedTransactionType warnings
    followUpsDue { kind amount { amount currency } description }
  }
`;

export const PREVIEW = /* GraphQL */ `
  query QbOrderTransferPreview($filter: QbOrderTransferFilterInput!, $first: Int, $after: String) {
    qbOrderTransferPreview(filter: $filter, first: $first, after: $after) {
      totalCount
      queuedCount
      pageInfo { ...PageInfoFields }
      edges { node { ...PreviewRowFields } }
    }
  }
  ${PAGE_INFO}
  ${PREVIEW_ROW}
`;

/** What an edit in Saleor changed on an order in QuickBooks (QbOrderExport). */
const EDIT = /* GraphQL */ `
  fragment OrderEditFields on QbOrderExport {
    changedSinceExport changesNoticedAt changesProblem updateRequestedAt updateRequestedBy editUpdates
    changesSinceExport { field label before after }
  }
`;

export const ORDER_EXPORT = /* GraphQL */ `
  query QbOrderExport($orderId: ID!) {
    qbOrderExport(orderId: $orderId) {
      order { ...PreviewRowFields }
      queued canQueue reason automatic automaticNote
      payments { at amount { amount currency } refNumber txnId state message action paymentMethod }
      documents { kind at amount { amount currency } refNumber txnId state message action }
      quickbooksDocument {
        transactionType refNumber txnDate customer customerCurrency
        lines { item description quantity rate amount { amount currency } taxCode }
        total { amount currency } exchangeRate arAccount depositToAccount memo warnings qbxml
      }
      ...OrderEditFields
    }
  }
  ${PREVIEW_ROW}
  ${EDIT}
`;

export const ORDER_UPDATE = /* GraphQL */ `
  mutation QbOrderUpdateInQuickbooks($orderId: ID!) {
    qbOrderUpdateInQuickbooks(orderId: $orderId) {
      errors { ...SyncErrorFields }
      orderExport { ...OrderEditFields }
    }
  }
  ${SYNC_ERROR}
  ${EDIT}
`;

export const QUEUE = /* GraphQL */ `
  mutation QbOrderTransferQueue($input: QbOrderTransferQueueInput!) {
    qbOrderTransferQueue(input: $input) {
      errors { ...SyncErrorFields }
      pendingOperation { id orderCount status createdAt }
    }
  }
  ${SYNC_ERROR}
`;

/** What a Web Connector update would do with the chosen orders, against a simulated company;
 * the input is the queue's (`{orderIds}` or `{filter, excludeOrderIds}`). Nothing is kept. */
export const ORDERS_DRY_RUN = /* GraphQL */ `
  mutation QbOrdersDryRun($input: QbOrdersDryRunInput!) {
    qbOrdersDryRun(input: $input) {
      errors { ...SyncErrorFields }
      dryRun {
        orders {
          orderId orderNumber outcome transactionType refNumber total { amount currency }
          customer reason action setting settingLabel statusCode queued
        }
        summary {
          wouldLand wouldFail alreadyInQuickbooks customersCreated itemsCreated
          listsRead listsNeverRead listsReadAt schemaChecked notes
        }
      }
    }
  }
  ${SYNC_ERROR}
`;

/** On demand: queue what QuickBooks lacks for orders it has (payments, refunds, voids). */
export const FOLLOW_UPS_QUEUE = /* GraphQL */ `
  mutation QbFollowUpsQueue($ids: [ID!]!) {
    qbFollowUpsQueue(orderIds: $ids) {
      errors { ...SyncErrorFields }
      pendingOperation { id orderCount status createdAt }
    }
  }
  ${SYNC_ERROR}
`;

export const PENDING_OPERATIONS = /* GraphQL */ `
  query QbPendingOperations($first: Int, $after: String) {
    qbPendingOperations(first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges {
        node {
          id kind status createdAt createdBy orderCount doneCount failedCount
          pickedUpAt completedAt summary orders
        }
      }
    }
  }
  ${PAGE_INFO}
`;

export const DELETE_PENDING = /* GraphQL */ `
  mutation QbPendingOperationDelete($ids: [ID!]!) {
    qbPendingOperationDelete(ids: $ids) {
      errors { ...SyncErrorFields }
      pendingOperations { id }
    }
  }
  ${SYNC_ERROR}
`;

/** Whether any attempt failed: "Retry failed orders" shows only then. */
export const FAILED_COUNT = /* GraphQL */ `
  query QbFailedCount {
    qbTransferHistory(filter: { state: FAILED }, first: 1) { totalCount }
  }
`;

const EXPORT_RECORD = /* GraphQL */ `
  fragment ExportRecordFields on QbExportRecord {
    id orderId orderNumber transactionType refNumber txnId state statusCode
    statusMessage action createdAt updatedAt automatic linkedExisting changedSinceExport
  }
`;

export const HISTORY = /* GraphQL */ `
  query QbTransferHistory($filter: QbTransferHistoryFilterInput, $first: Int, $after: String) {
    qbTransferHistory(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges { node { ...ExportRecordFields } }
    }
  }
  ${PAGE_INFO}
  ${EXPORT_RECORD}
`;

export const WEB_CONNECTOR_FILE = /* GraphQL */ `
  query QbWebConnectorFile {
    qbWebConnectorFile
  }
`;

export const EXPORT_RESET = /* GraphQL */ `
  mutation QbOrderExportReset($orderIds: [ID!]!) {
    qbOrderExportReset(orderIds: $orderIds) {
      resetCount
      errors { ...SyncErrorFields }
    }
  }
  ${SYNC_ERROR}
`;

export const FAILED_ORDERS_RETRY = /* GraphQL */ `
  mutation QbFailedOrdersRetry($orderIds: [ID!]) {
    qbFailedOrdersRetry(orderIds: $orderIds) {
      pendingOperation { id orderCount }
      errors { ...SyncErrorFields }
    }
  }
  ${SYNC_ERROR}
`;

// --- settings (qbSettings, qbChannels, qbSettingsUpdate) --------------------------------------

const SETTINGS_FIELDS = /* GraphQL */ `
  fragment SettingsFields on QbSettings {
    exportMode transactionType checkDuplicates exportStartDate eligibleStatuses channels
    customerMode singleCustomerName customerNameFormat itemMode defaultItemName missingItemAction
    incomeAccount depositToAccount recordPayments paymentMethods recordRefunds refundMoney voidCancelled updateEditedOrders
    arAccount salesTaxAccount giftCardAccount shippingItemName discountItemName giftCardItemName refundItemName taxMode salesTaxItemName refNumberPrefix className
    ordersPerRequest qbxmlVersion webConnectorUsername webConnectorPasswordSet companyFile
    timeZone runEveryMinutes listsMaxAgeHours companyCurrency exchangeRates canEdit
    listProblems { ...SettingProblemFields }
  }
  fragment SettingProblemFields on QbSettingProblem {
    field severity code message value
  }
`;

export const SETTINGS = /* GraphQL */ `
  query QbSettings {
    qbSettings { ...SettingsFields }
    qbChannels { slug name }
  }
  ${SETTINGS_FIELDS}
`;

export const SETTINGS_UPDATE = /* GraphQL */ `
  mutation QbSettingsUpdate($input: QbSettingsInput!) {
    qbSettingsUpdate(input: $input) {
      settings { ...SettingsFields }
      errors { ...SyncErrorFields }
    }
  }
  ${SETTINGS_FIELDS}
  ${SYNC_ERROR}
`;

// --- QuickBooks' lists (qbQuickBooksLists, qbQuickBooksListEntries, qbQuickBooksListsRefresh) --

/** The records a setting may name, for its picker. */
export const LIST_CHOICES = /* GraphQL */ `
  query QbListChoices($setting: String!, $search: String, $first: Int) {
    qbQuickBooksListEntries(setting: $setting, search: $search, first: $first) {
      totalCount
      edges { node { listId fullName recordType } }
    }
  }
`;

export const QUICKBOOKS_LISTS = /* GraphQL */ `
  query QbQuickBooksLists {
    qbQuickBooksLists {
      lists { key label count lastReadAt }
      refreshWaiting
    }
  }
`;

export const LISTS_REFRESH = /* GraphQL */ `
  mutation QbQuickBooksListsRefresh {
    qbQuickBooksListsRefresh {
      pendingOperation { id }
      errors { ...SyncErrorFields }
    }
  }
  ${SYNC_ERROR}
`;

// --- mappings (qbItemMappings, qbUnmappedSkus, qbCustomerMappings, qbUnmappedCustomers) -------

const ITEM_MAPPING = /* GraphQL */ `
  fragment ItemMappingFields on QbItemMapping {
    sku itemFullName setBy setAt inQuickBooks
  }
`;

const CUSTOMER_MAPPING = /* GraphQL */ `
  fragment CustomerMappingFields on QbCustomerMapping {
    email customerFullName currency confirmedBy confirmedAt inQuickBooks
  }
`;

export const UNMAPPED_SKUS = /* GraphQL */ `
  query QbUnmappedSkus($search: String, $first: Int, $after: String) {
    qbUnmappedSkus(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges { node { sku productName orderCount ruleItemName } }
    }
  }
  ${PAGE_INFO}
`;

export const ITEM_MAPPINGS = /* GraphQL */ `
  query QbItemMappings($first: Int, $after: String) {
    qbItemMappings(first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges { node { ...ItemMappingFields } }
    }
  }
  ${PAGE_INFO}
  ${ITEM_MAPPING}
`;

export const UNMAPPED_CUSTOMERS = /* GraphQL */ `
  query QbUnmappedCustomers($search: String, $first: Int, $after: String) {
    qbUnmappedCustomers(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges {
        node {
          email name orderCount
          suggestions { matchedBy customer { listId fullName isActive email currency } }
        }
      }
    }
  }
  ${PAGE_INFO}
`;

export const CUSTOMER_MAPPINGS = /* GraphQL */ `
  query QbCustomerMappings($first: Int, $after: String) {
    qbCustomerMappings(first: $first, after: $after) {
      totalCount
      pageInfo { ...PageInfoFields }
      edges { node { ...CustomerMappingFields } }
    }
  }
  ${PAGE_INFO}
  ${CUSTOMER_MAPPING}
`;

export const ITEM_MAPPING_SET = /* GraphQL */ `
  mutation QbItemMappingSet($sku: String!, $itemFullName: String!) {
    qbItemMappingSet(sku: $sku, itemFullName: $itemFullName) {
      itemMapping { ...ItemMappingFields }
      errors { ...SyncErrorFields }
    }
  }
  ${ITEM_MAPPING}
  ${SYNC_ERROR}
`;

export const ITEM_MAPPING_DELETE = /* GraphQL */ `
  mutation QbItemMappingDelete($sku: String!) {
    qbItemMappingDelete(sku: $sku) {
      itemMapping { ...ItemMappingFields }
      errors { ...SyncErrorFields }
    }
  }
  ${ITEM_MAPPING}
  ${SYNC_ERROR}
`;

export const CUSTOMER_MAPPING_SET = /* GraphQL */ `
  mutation QbCustomerMappingSet($email: String!, $customerFullName: String!) {
    qbCustomerMappingSet(email: $email, customerFullName: $customerFullName) {
      customerMapping { ...CustomerMappingFields }
      errors { ...SyncErrorFields }
    }
  }
  ${CUSTOMER_MAPPING}
  ${SYNC_ERROR}
`;

export const CUSTOMER_MAPPING_DELETE = /* GraphQL */ `
  mutation QbCustomerMappingDelete($email: String!) {
    qbCustomerMappingDelete(email: $email) {
      customerMapping { ...CustomerMappingFields }
      errors { ...SyncErrorFields }
    }
  }
  ${CUSTOMER_MAPPING}
  ${SYNC_ERROR}
`;
