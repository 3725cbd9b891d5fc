/**
 * A text box that offers the QuickBooks records a setting may name, from our copy of
 * QuickBooks' lists (qbQuickBooksListEntries(setting: …)): a combobox with a list of choices
 * (WAI-ARIA's combobox pattern). Typing narrows the choices (names starting with the text first);
 * ↑/↓ move, Enter picks, Escape closes. A name that is not offered can still be typed: saving
 * checks it against the same lists and says what is wrong.
 */
import { Text } from "@saleor/macaw-ui";
import { type CSSProperties, type KeyboardEvent, useEffect, useId, useState } from "react";

import { LIST_CHOICES, type ListChoice, nodesOf, useQuery } from "../api";

/** Choices shown at once; the list says how many more a longer text would narrow down. */
export const CHOICES_SHOWN = 8;
const SEARCH_DELAY_MS = 200;

const TYPE_WORDS: Record<string, string> = {
  AccountsReceivable: "accounts receivable", Bank: "bank", Income: "income", OtherIncome: "other income",
  OtherCurrentAsset: "other current asset", OtherCurrentLiability: "other current liability",
  LongTermLiability: "long term liability", Expense: "expense", CreditCard: "credit card",
  ItemService: "service", ItemNonInventory: "non-inventory", ItemOtherCharge: "other charge",
  ItemInventory: "inventory", ItemInventoryAssembly: "assembly", ItemDiscount: "discount",
  ItemSalesTax: "sales tax item", ItemSalesTaxGroup: "sales tax group", ItemFixedAsset: "fixed asset",
};

/** A record's type in a bookkeeper's words ("other charge", "bank"). */
export function typeWords(recordType: string): string {
  return TYPE_WORDS[recordType] ?? recordType.replace(/^Item/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
}

function useDebounced<T>(value: T, delay: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delay);
    return () => clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

export function ListPicker({
  setting,
  id,
  label,
  value,
  onChange,
  disabled,
  describedBy,
  invalid,
  ariaLabel,
  placeholder,
  style,
}: {
  /** the setting's name in the API (camelCase): the server knows which records it may name */
  setting: string;
  id: string;
  /** what the choices are, for the list's name ("QuickBooks accounts for Deposit to account") */
  label: string;
  value: string;
  onChange: (value: string) => void;
  disabled: boolean;
  describedBy?: string;
  invalid: boolean;
  /** the box's name when no <label> names it (a table cell) */
  ariaLabel?: string;
  placeholder?: string;
  style?: CSSProperties;
}) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  // until the person types, every record is offered (not just the one already chosen)
  const [typed, setTyped] = useState(false);
  const [active, setActive] = useState(-1);
  const search = useDebounced(typed ? value.trim() : "", SEARCH_DELAY_MS);
  const query = useQuery(LIST_CHOICES, { setting, search, first: CHOICES_SHOWN }, { skip: !open });
  const connection = query.data?.qbQuickBooksListEntries ?? null;
  const choices: ListChoice[] = nodesOf(connection);
  const more = connection ? connection.totalCount - choices.length : 0;

  const close = () => {
    setOpen(false);
    setActive(-1);
    setTyped(false);
  };
  const choose = (choice: ListChoice) => {
    onChange(choice.fullName);
    close();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) setOpen(true);
      setActive((a) => Math.min(a + 1, choices.length - 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((a) => Math.max(a - 1, 0));
    } else if (event.key === "Enter" && open && active >= 0 && choices[active]) {
      event.preventDefault();
      choose(choices[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    }
  };

  return (
    <div style={{ position: "relative", maxWidth: style?.maxWidth }}>
      <input
        type="text"
        id={id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && active >= 0 ? `${listId}-${active}` : undefined}
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-label={ariaLabel}
        placeholder={placeholder}
        autoComplete="off"
        value={value}
        disabled={disabled}
        onChange={(e) => {
          onChange(e.target.value);
          setTyped(true);
          setOpen(true);
          setActive(-1);
        }}
        onFocus={() => setOpen(true)}
        onBlur={close}
        onKeyDown={onKeyDown}
        style={style}
      />
      {open ? (
        <ul id={listId} role="listbox" aria-label={label} className="qb-listbox">
          {choices.map((choice, index) => (
            <li
              key={choice.listId}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              className="qb-option"
              // before the input's blur closes the list
              onMouseDown={(e) => {
                e.preventDefault();
                choose(choice);
              }}
            >
              <span>{choice.fullName}</span>
              {choice.recordType ? (
                <Text size={2} color="default2">
                  {typeWords(choice.recordType)}
                </Text>
              ) : null}
            </li>
          ))}
          {query.loading && choices.length === 0 ? (
            <li className="qb-option-note" aria-disabled>Reading QuickBooks' list…</li>
          ) : null}
          {query.error ? (
            <li className="qb-option-note" aria-disabled>{query.error.message}</li>
          ) : null}
          {!query.loading && !query.error && connection && choices.length === 0 ? (
            <li className="qb-option-note" aria-disabled>
              {search ? `QuickBooks' list has nothing like "${search}"; saving checks the name you typed.` : "Nothing in our copy of QuickBooks' list to choose from yet."}
            </li>
          ) : null}
          {more > 0 ? (
            <li className="qb-option-note" aria-disabled>
              {more === 1 ? "1 more" : `${more} more`}: type to narrow the list.
            </li>
          ) : null}
        </ul>
      ) : null}
    </div>
  );
}
