/** Loading, empty and error states, the pager and small pieces every screen uses. */
import { Box, Button, Spinner, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";

import type { ApiError } from "../api";
import type { Paging } from "../paging";

export function Loading({ label = "Loading…" }: { label?: string }) {
  return (
    <Box role="status" aria-live="polite" display="flex" alignItems="center" gap={2} padding={4}>
      <Spinner />
      <Text size={3} color="default2">
        {label}
      </Text>
    </Box>
  );
}

export function ErrorNotice({
  error,
  title = "Something went wrong",
  onRetry,
}: {
  error: ApiError | Error | string;
  title?: string;
  onRetry?: () => void;
}) {
  const message = typeof error === "string" ? error : error.message;
  return (
    <Box
      role="alert"
      className="qb-notice qb-notice--error"
      display="flex"
      flexDirection="column"
      gap={2}
      padding={4}
      borderRadius={3}
    >
      <Text size={4} fontWeight="bold" color="critical1">
        {title}
      </Text>
      <Text size={3}>{message}</Text>
      {onRetry ? (
        <Box>
          <Button variant="secondary" onClick={onRetry}>
            Try again
          </Button>
        </Box>
      ) : null}
    </Box>
  );
}

export function Notice({
  tone = "info",
  title,
  children,
  role = "status",
}: {
  tone?: "info" | "success" | "warning" | "error";
  title?: ReactNode;
  children?: ReactNode;
  role?: "status" | "alert" | "note";
}) {
  return (
    <Box
      role={role}
      className={`qb-notice qb-notice--${tone}`}
      display="flex"
      flexDirection="column"
      gap={1}
      padding={4}
      borderRadius={3}
    >
      {title ? (
        <Text size={4} fontWeight="bold">
          {title}
        </Text>
      ) : null}
      {children ? <Text size={3}>{children}</Text> : null}
    </Box>
  );
}

export function Empty({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Box className="qb-empty" padding={8} display="flex" flexDirection="column" gap={2} alignItems="center">
      <Text size={5} fontWeight="bold">
        {title}
      </Text>
      {children ? (
        <Text size={3} color="default2">
          {children}
        </Text>
      ) : null}
    </Box>
  );
}

/** Previous/Next page of a cursor-paged list (`usePagedQuery`, paging.ts). */
export function Pager({
  label,
  pages,
  summary,
}: {
  label: string;
  pages: Paging;
  summary?: ReactNode;
}) {
  return (
    <Box as="nav" aria-label={label} display="flex" alignItems="center" gap={3} paddingY={3}>
      <Button variant="secondary" onClick={pages.previous} disabled={!pages.hasPrevious}>
        Previous page
      </Button>
      <Text size={3} color="default2">
        Page {pages.page}
        {summary ? <> · {summary}</> : null}
      </Text>
      <Button variant="secondary" onClick={pages.next} disabled={!pages.hasNext}>
        Next page
      </Button>
    </Box>
  );
}

export function Heading({ children, level = 2 }: { children: ReactNode; level?: 1 | 2 | 3 }) {
  const as = `h${level}` as "h1" | "h2" | "h3";
  return (
    <Text as={as} size={level === 1 ? 8 : level === 2 ? 6 : 5} fontWeight="bold" display="block">
      {children}
    </Text>
  );
}

export function Badge({ tone, children }: { tone: "success" | "warning" | "error" | "info" | "neutral"; children: ReactNode }) {
  return <span className={`qb-badge qb-badge--${tone}`}>{children}</span>;
}
