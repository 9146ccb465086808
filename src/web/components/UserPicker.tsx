import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  ComboBox,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Tag,
  TagGroup,
  TagList,
  Text,
  type Key,
} from 'react-aria-components';
import { get } from '../api';
import { useDebouncedValue } from '../shared/useDebouncedValue';
import './UserPicker.css';
import type { Static } from 'typebox';
import type { PickerAnswerSchema } from '../../http/schemas/people';

type PickerAnswer = Static<typeof PickerAnswerSchema>;

/** A person as the server presents it: `label` is what the screen shows ("Name (Deactivated)"). */
export interface PickerPerson {
  accountId: string;
  label: string;
  displayName?: string;
  email?: string;
  active?: boolean;
}

interface CommonProps {
  /** the field's name, e.g. "Affected user", "Share with" — the accessible name of the combobox */
  label: string;
  /** the site slug of the /s/{site}/ URL */
  site: string;
  /** decides who may be offered: customfield_10010, participants, reporter */
  fieldKey?: string;
  /** the help center's project: a customer finds only whom its sharing setting allows (docs/product.md#customer-sharing) */
  projectId?: string;
  /** the help center's request being shared: its reporter and participants are in the customer's circle */
  requestKey?: string;
  description?: string;
  errorMessage?: string;
  isRequired?: boolean;
  isDisabled?: boolean;
  placeholder?: string;
}

export interface SingleUserPickerProps extends CommonProps {
  multiple?: false;
  value: PickerPerson | null;
  onChange: (value: PickerPerson | null) => void;
}

export interface MultiUserPickerProps extends CommonProps {
  multiple: true;
  values: PickerPerson[];
  onChange: (values: PickerPerson[]) => void;
}

export type UserPickerProps = SingleUserPickerProps | MultiUserPickerProps;

const DEBOUNCE_MS = 150;

/** For the rest of this event, input changes are the combobox echoing a choice, not typing. */
function markPicked(ref: { current: boolean }) {
  ref.current = true;
  setTimeout(() => (ref.current = false), 0);
}

/** Searches as you type through GET /s/{site}/api/users/picker (never offers revoked accounts). */
function usePickerSearch(site: string, fieldKey: string | undefined, text: string, exclude: string[], projectId?: string, requestKey?: string) {
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const excludeKey = exclude.join(',');
  const result = useQuery({
    queryKey: ['user-picker', site, fieldKey ?? '', projectId ?? '', requestKey ?? '', query, excludeKey],
    enabled: query.length > 0,
    staleTime: 10_000,
    queryFn: () => {
      const params = new URLSearchParams({ query, limit: '20' });
      if (fieldKey) params.set('fieldKey', fieldKey);
      if (projectId) params.set('projectId', projectId);
      if (requestKey) params.set('requestKey', requestKey);
      if (excludeKey) params.set('exclude', excludeKey);
      return get<PickerAnswer>(`/s/${encodeURIComponent(site)}/api/users/picker?${params}`);
    },
  });
  // still searching while the debounce runs or the answer for the typed text is on its way
  const searching = text.trim() !== '' && (text.trim() !== query || result.isFetching);
  return { users: text.trim() !== '' && text.trim() === query ? (result.data?.users ?? []) : [], searching };
}

/**
 * The one user picker of the web app: a combobox that searches people as you type (single), or a
 * list of chosen people plus that combobox (multiple). Stored values are shown by their label — a
 * revoked person reads "Alice Example (Deactivated)" and stays until someone removes it.
 */
export function UserPicker(props: UserPickerProps) {
  return props.multiple ? <MultiUserPicker {...props} /> : <SingleUserPicker {...props} />;
}

function Options({ loading, text }: { loading: boolean; text: string }) {
  return <Text className="user-picker-empty">{text.trim() === '' ? 'Type a name or email' : loading ? 'Searching…' : 'No matching people'}</Text>;
}

function SingleUserPicker({ label, site, fieldKey, projectId, requestKey, value, onChange, description, errorMessage, isRequired, isDisabled, placeholder }: SingleUserPickerProps) {
  const [text, setText] = useState(value?.label ?? '');
  const [typing, setTyping] = useState(false);
  useEffect(() => {
    setText(value?.label ?? '');
    setTyping(false);
  }, [value?.accountId, value?.label]);
  const search = usePickerSearch(site, fieldKey, typing ? text : '', value ? [value.accountId] : [], projectId, requestKey);
  const users = typing ? search.users : [];
  const errorId = useId();

  const justPicked = useRef(false);
  const pick = (key: Key | null) => {
    if (key === null) return; // only an explicit "Clear" removes the stored value
    const person = users.find((u) => u.accountId === key);
    if (!person) return;
    markPicked(justPicked);
    onChange(person);
    setText(person.label);
    setTyping(false);
  };

  // Escape puts back the saved value (and never clears it: only "Clear" does); the combobox's own
  // handling of the key then closes the list, and its echo of the input is ignored.
  const restoreOnEscape = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Escape') return;
    markPicked(justPicked);
    setText(value?.label ?? '');
    setTyping(false);
  };

  return (
    <div className="user-picker" onKeyDownCapture={restoreOnEscape}>
      <ComboBox
        className="user-picker-combobox"
        items={users}
        inputValue={text}
        onInputChange={(t) => {
          if (justPicked.current) return; // the combobox echoing the choice, not the user typing
          setText(t);
          setTyping(t !== (value?.label ?? ''));
        }}
        selectedKey={null}
        onSelectionChange={pick}
        allowsCustomValue
        allowsEmptyCollection={typing && text.trim() !== ''}
        menuTrigger="input"
        isRequired={isRequired}
        isDisabled={isDisabled}
        isInvalid={Boolean(errorMessage)}
        onBlur={() => {
          setText(value?.label ?? '');
          setTyping(false);
        }}
        aria-describedby={errorMessage ? errorId : undefined}
      >
        <Label className="ui-label">
          {label}
          {isRequired && <span aria-hidden="true" className="ui-required"> *</span>}
        </Label>
        <div className="user-picker-control">
          <Input className="ui-input user-picker-input" placeholder={placeholder ?? 'Search people'} />
          {value && !isDisabled && (
            <Button
              className="user-picker-clear"
              aria-label={`Clear ${label}: ${value.label}`}
              onPress={() => {
                onChange(null);
                setText('');
              }}
            >
              ×
            </Button>
          )}
        </div>
        <PickerList description={description} searching={search.searching} text={text} />
      </ComboBox>
      {errorMessage && (
        <p id={errorId} className="ui-field-error">
          {errorMessage}
        </p>
      )}
    </div>
  );
}

/** Inside a picker's combo box: its description, and the list of the people found (or why there are none). */
function PickerList({ description, searching, text }: { description?: string; searching: boolean; text: string }) {
  return (
    <>
      {description && <Text slot="description" className="ui-description">{description}</Text>}
      <Popover className="user-picker-popover" placement="bottom start">
        <ListBox className="user-picker-list" renderEmptyState={() => <Options loading={searching} text={text} />}>
          {(u: PickerPerson) => (
            <ListBoxItem id={u.accountId} textValue={u.label} className="user-picker-option">
              <span className="user-picker-option-label">{u.label}</span>
              {u.email && <span className="user-picker-option-email">{u.email}</span>}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </>
  );
}

function MultiUserPicker({ label, site, fieldKey, projectId, requestKey, values, onChange, description, errorMessage, isRequired, isDisabled, placeholder }: MultiUserPickerProps) {
  const [text, setText] = useState('');
  const justPicked = useRef(false);
  const search = usePickerSearch(site, fieldKey, text, values.map((v) => v.accountId), projectId, requestKey);
  const chosen = new Set(values.map((v) => v.accountId));
  const users = search.users.filter((u) => !chosen.has(u.accountId));
  const errorId = useId();

  const pick = (key: Key | null) => {
    if (key === null) return;
    const person = users.find((u) => u.accountId === key);
    if (!person) return;
    markPicked(justPicked);
    onChange([...values, person]);
    setText('');
  };

  // Escape drops what was typed; the chosen people stay
  const clearOnEscape = (e: ReactKeyboardEvent) => {
    if (e.key !== 'Escape' || e.target instanceof HTMLElement && !e.target.matches('input')) return;
    markPicked(justPicked);
    setText('');
  };

  return (
    <div className="user-picker user-picker-multi" onKeyDownCapture={clearOnEscape}>
      <ComboBox
        className="user-picker-combobox"
        items={users}
        inputValue={text}
        onInputChange={(t) => {
          if (justPicked.current) return;
          setText(t);
        }}
        selectedKey={null}
        onSelectionChange={pick}
        allowsCustomValue
        allowsEmptyCollection={text.trim() !== ''}
        menuTrigger="input"
        isRequired={isRequired && values.length === 0}
        isDisabled={isDisabled}
        isInvalid={Boolean(errorMessage)}
        aria-describedby={errorMessage ? errorId : undefined}
      >
        <Label className="ui-label">
          {label}
          {isRequired && <span aria-hidden="true" className="ui-required"> *</span>}
        </Label>
        <div className="user-picker-control">
          <Input className="ui-input user-picker-input" placeholder={placeholder ?? 'Search people to add'} />
        </div>
        <PickerList description={description} searching={search.searching} text={text} />
      </ComboBox>
      {values.length > 0 && (
        <TagGroup
          aria-label={`${label}: chosen people`}
          className="user-picker-tags"
          onRemove={isDisabled ? undefined : (keys) => onChange(values.filter((v) => !keys.has(v.accountId)))}
        >
          <TagList items={values} className="user-picker-taglist">
            {(v: PickerPerson) => (
              <Tag id={v.accountId} textValue={v.label} className={v.active === false ? 'user-picker-tag is-inactive' : 'user-picker-tag'}>
                {v.label}
                {!isDisabled && (
                  <Button slot="remove" className="user-picker-tag-remove" aria-label={`Remove ${v.label}`}>
                    ×
                  </Button>
                )}
              </Tag>
            )}
          </TagList>
        </TagGroup>
      )}
      {errorMessage && (
        <p id={errorId} className="ui-field-error">
          {errorMessage}
        </p>
      )}
    </div>
  );
}
