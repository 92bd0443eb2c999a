/*
 * The body editor's own extensions. boards/editor_extensions.py registers them with
 * django-prose-editor (DJANGO_PROSE_EDITOR_EXTENSIONS), whose configurable preset loads this
 * module with import(): same origin, no inline script, so it runs under the admin's CSP.
 * boards/richtext.py keeps exactly what they write:
 *
 * - CaptionedTable: the package's Table with a caption (표 제목). In the saved HTML its leading
 *   rows of header cells go in <thead>, the others in <tbody>, and a header cell without a
 *   scope gets scope="col" in <thead> and scope="row" in <tbody>.
 * - ScopedTableHeader: header cells marked as column headers (열 제목, scope="col") or row
 *   headers (행 제목, scope="row"); 보통 칸 makes them data cells again.
 * - BodyImage: an image uploaded to the portal itself (/body-images/<key>/) with its alt text,
 *   both asked for in one dialog. Images from anywhere else are not taken in (pasting one
 *   brings nothing).
 */
import {
  crel,
  Image,
  pm,
  Table,
  TableHeader,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const STYLE = `
.ProseMirror table caption.prose-body-caption { caption-side: top; padding: .25em 0; background: none; color: inherit; text-align: left; text-transform: none; letter-spacing: normal; font-size: inherit; font-weight: 700; }
.ProseMirror table caption.prose-body-caption.is-missing { font-weight: 400; font-style: italic; color: #ba2121; }
.ProseMirror table th[scope="col"] { background: #e8eef7; }
.ProseMirror table th[scope="row"] { background: #f3f6fa; text-align: left; }
.prose-body-help { display: block; margin-top: .25em; font-weight: 400; font-size: .9em; }
.prose-body-error { min-height: 1.5em; margin: .5em 0 0; color: #ba2121; font-weight: 700; }
`

let styled = false
const addStyle = () => {
  if (styled) return
  styled = true
  document.head.append(crel("style", { textContent: STYLE }))
}

// --- tables ------------------------------------------------------------------------------

const HEADERS = {
  row: "첫 행 (열 제목)",
  column: "첫 열 (행 제목)",
  both: "첫 행과 첫 열",
  none: "없음",
}

const tableAround = (selection) => {
  const { $from } = selection
  for (let depth = $from.depth; depth > 0; depth--) {
    const node = $from.node(depth)
    if (node.type.name === "table") return { node, pos: $from.before(depth) }
  }
  return null
}

const isHeaderRow = (row) => {
  if (!row.childCount) return false
  for (let i = 0; i < row.childCount; i++) {
    if (row.child(i).type.name !== "tableHeader") return false
  }
  return true
}

// How many leading rows form <thead>: rows of header cells only, and no cell of them may
// reach below the last (a rowspan cannot cross from <thead> into <tbody>).
export const headRowCount = (table) => {
  let count = 0
  while (count < table.childCount && isHeaderRow(table.child(count))) count++
  if (count === table.childCount && count > 1) count = 1
  const fits = (n) => {
    for (let i = 0; i < n; i++) {
      const row = table.child(i)
      for (let j = 0; j < row.childCount; j++) {
        if (i + (row.child(j).attrs.rowspan || 1) > n) return false
      }
    }
    return true
  }
  while (count > 0 && !fits(count)) count--
  return count
}

const captionText = (element) => {
  const caption = element.querySelector(":scope > caption")
  return caption ? caption.textContent.replace(/\s+/g, " ").trim() || null : null
}

const captionDialog = updateAttrsDialog(
  {
    caption: {
      type: "string",
      title: "표 제목(캡션)",
      description:
        "표가 무엇을 보여 주는지 짧게 적습니다. 화면낭독기가 표보다 먼저 읽어 줍니다. 예: 2026년 상반기 접수 일정",
    },
  },
  { title: "표 제목", submitText: "적용" },
)

const insertTableDialog = updateAttrsDialog(
  {
    caption: {
      type: "string",
      title: "표 제목(캡션)",
      required: true,
      description: "표가 무엇을 보여 주는지 짧게 적습니다. 화면낭독기가 표보다 먼저 읽어 줍니다.",
    },
    rows: { type: "number", title: "행 수", format: "number", min: "1", max: "100" },
    cols: { type: "number", title: "열 수", format: "number", min: "1", max: "100" },
    headers: { title: "제목 칸", enum: Object.values(HEADERS) },
  },
  { title: "표 넣기", submitText: "표 넣기" },
)

// After insertTable: the caption, and header cells marked as column or row headers.
const markNewTable =
  ({ caption, headerRow, headerColumn }) =>
  ({ tr }) => {
    const found = tableAround(tr.selection)
    if (!found) return false
    const { node, pos } = found
    const { tableHeader } = tr.doc.type.schema.nodes
    tr.setNodeMarkup(pos, undefined, { ...node.attrs, caption: caption || null })
    node.forEach((row, rowOffset, rowIndex) => {
      row.forEach((cell, cellOffset, cellIndex) => {
        const cellPos = pos + 1 + rowOffset + 1 + cellOffset
        if (headerRow && rowIndex === 0) {
          tr.setNodeMarkup(cellPos, tableHeader, { ...cell.attrs, scope: "col" })
        } else if (headerColumn && cellIndex === 0) {
          tr.setNodeMarkup(cellPos, tableHeader, { ...cell.attrs, scope: "row" })
        }
      })
    })
    return true
  }

export const CaptionedTable = Table.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      caption: {
        default: null,
        parseHTML: captionText,
        renderHTML: () => ({}), // written as the <caption> element, not as an attribute
      },
    }
  },

  parseHTML() {
    // The caption is the table's attribute; its element must not become a row.
    return [{ tag: "table" }, { tag: "caption", ignore: true }]
  },

  renderHTML({ node }) {
    const serializer = pm.model.DOMSerializer.fromSchema(node.type.schema)
    const table = document.createElement("table")
    if (node.attrs.caption) {
      table.append(crel("caption", { textContent: node.attrs.caption }))
    }
    const head = headRowCount(node)
    const thead = document.createElement("thead")
    const tbody = document.createElement("tbody")
    node.forEach((row, _offset, index) => {
      const tr = serializer.serializeNode(row)
      for (const th of tr.querySelectorAll(":scope > th:not([scope])")) {
        th.setAttribute("scope", index < head ? "col" : "row")
      }
      ;(index < head ? thead : tbody).append(tr)
    })
    if (head) table.append(thead)
    if (tbody.childNodes.length) table.append(tbody)
    return table
  },

  addNodeView() {
    addStyle()
    const createView = this.parent?.()
    return (props) => {
      const view = createView(props)
      const caption = crel("caption", { className: "prose-body-caption", contentEditable: "false" })
      const show = (node) => {
        caption.textContent = node.attrs.caption || "표 제목이 없습니다. 표 안을 누르고 '표 제목' 단추로 적어 주세요."
        caption.classList.toggle("is-missing", !node.attrs.caption)
      }
      show(props.node)
      view.table.prepend(caption)
      const update = view.update.bind(view)
      view.update = (node) => {
        if (!update(node)) return false
        show(node)
        return true
      }
      const ignoreMutation = view.ignoreMutation.bind(view)
      view.ignoreMutation = (mutation) => caption.contains(mutation.target) || ignoreMutation(mutation)
      return view
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      insertTableWithOptions:
        () =>
        ({ editor }) => {
          insertTableDialog(editor, { caption: "", rows: "3", cols: "3", headers: HEADERS.row }).then(
            (attrs) => {
              if (!attrs) return
              const headerRow = attrs.headers === HEADERS.row || attrs.headers === HEADERS.both
              const headerColumn = attrs.headers === HEADERS.column || attrs.headers === HEADERS.both
              editor
                .chain()
                .focus()
                .insertTable({
                  rows: Number.parseInt(attrs.rows, 10) || 3,
                  cols: Number.parseInt(attrs.cols, 10) || 3,
                  withHeaderRow: false,
                })
                .command(markNewTable({ caption: attrs.caption.trim(), headerRow, headerColumn }))
                .run()
            },
          )
          return true
        },
      setTableCaption:
        (caption) =>
        ({ tr, dispatch }) => {
          const found = tableAround(tr.selection)
          if (!found) return false
          if (dispatch) {
            tr.setNodeMarkup(found.pos, undefined, { ...found.node.attrs, caption: caption || null })
          }
          return true
        },
      editTableCaption:
        () =>
        ({ editor, state }) => {
          const found = tableAround(state.selection)
          if (!found) return false
          captionDialog(editor, { caption: found.node.attrs.caption || "" }).then((attrs) => {
            if (attrs) editor.chain().focus().setTableCaption(attrs.caption.trim()).run()
          })
          return true
        },
    }
  },

  addMenuItems(context) {
    this.parent?.(context)
    const { buttons, menu } = context
    menu.defineItem({
      name: "table:caption",
      groups: "table",
      priority: 90,
      command: (editor) => editor.commands.editTableCaption(),
      button: buttons.text("표 제목", "표 제목(캡션) 적기"),
      hidden: (editor) => !editor.isActive("table"),
    })
  },
})

// --- header cells -------------------------------------------------------------------------

const selectedCells = (selection) => {
  if (selection instanceof pm.tables.CellSelection) {
    const cells = []
    selection.forEachCell((node, pos) => cells.push({ node, pos }))
    return cells
  }
  const $cell = pm.tables.cellAround(selection.$from)
  return $cell ? [{ node: $cell.nodeAfter, pos: $cell.pos }] : []
}

const SCOPES = ["col", "row", "colgroup", "rowgroup"]

export const ScopedTableHeader = TableHeader.extend({
  addAttributes() {
    return {
      ...this.parent?.(),
      scope: {
        default: null,
        parseHTML: (element) => {
          const scope = (element.getAttribute("scope") || "").trim().toLowerCase()
          return SCOPES.includes(scope) ? scope : null
        },
        renderHTML: (attributes) => (attributes.scope ? { scope: attributes.scope } : {}),
      },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      // "col" or "row": the selected cells become header cells of that kind; null: data cells.
      setCellScope:
        (scope) =>
        ({ tr, state, dispatch }) => {
          const cells = selectedCells(tr.selection)
          if (!cells.length) return false
          if (dispatch) {
            const { tableHeader, tableCell } = state.schema.nodes
            for (const { node, pos } of cells) {
              const { scope: _old, ...attrs } = node.attrs
              tr.setNodeMarkup(pos, scope ? tableHeader : tableCell, scope ? { ...attrs, scope } : attrs)
            }
          }
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    const item = (name, scope, label, title) =>
      menu.defineItem({
        name,
        groups: "table",
        priority: 80,
        command: (editor) => editor.chain().focus().setCellScope(scope).run(),
        button: buttons.text(label, title),
        active: (editor) =>
          scope ? editor.isActive("tableHeader", { scope }) : editor.isActive("tableCell"),
        hidden: (editor) => !editor.isActive("table"),
      })
    item("table:scopeCol", "col", "열 제목", "선택한 칸을 열 제목 칸으로 (아래 칸들의 제목)")
    item("table:scopeRow", "row", "행 제목", "선택한 칸을 행 제목 칸으로 (오른쪽 칸들의 제목)")
    item("table:dataCell", null, "보통 칸", "선택한 칸을 제목이 아닌 보통 칸으로")
  },
})

// --- images -------------------------------------------------------------------------------

const csrfToken = (editor) =>
  editor.view.dom.closest("form")?.querySelector("input[name=csrfmiddlewaretoken]")?.value ||
  document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/)?.[1] ||
  ""

let dialogCount = 0

// The upload dialog: a file and its alt text, both required; the server's Korean message on refusal.
const uploadDialog = (editor, { uploadUrl }) => {
  const id = `prose-body-upload-${++dialogCount}`
  const file = crel("input", {
    id: `${id}-file`,
    name: "image",
    type: "file",
    accept: "image/jpeg,image/png,image/gif,image/webp",
    required: true,
  })
  const alt = crel("input", { id: `${id}-alt`, name: "alt", type: "text", required: true, maxLength: 300 })
  const error = crel("p", { id: `${id}-error`, className: "prose-body-error", role: "alert" })
  const submit = crel("button", { type: "submit", textContent: "올리고 넣기" })
  const cancel = crel("button", { type: "button", textContent: "취소" })
  const field = (input, text, help) => {
    const label = crel("label", { htmlFor: input.id, textContent: text })
    label.append(crel("span", { className: "prose-body-help", textContent: help }))
    return crel("div", { className: "prose-editor-dialog-field" }, [label, input])
  }
  const form = crel("form", { method: "dialog" }, [
    crel("h3", { className: "prose-editor-dialog-title", textContent: "본문 이미지 넣기" }),
    field(file, "이미지 파일", "JPG, PNG, GIF, WEBP 파일을 20MB까지 올릴 수 있습니다."),
    field(
      alt,
      "대체텍스트(필수)",
      "이미지에 담긴 내용을 글로 적습니다. 화면낭독기가 읽어 줍니다. 예: 금천구청 본관 앞 광장에서 열린 나눔 장터",
    ),
    error,
    crel("div", { className: "prose-editor-dialog-buttons" }, [submit, cancel]),
  ])
  const dialog = crel("dialog", { className: "prose-editor-dialog" }, [form])
  const wrapper = crel("div", {}, [dialog])

  cancel.addEventListener("click", () => dialog.close())
  dialog.addEventListener("close", () => {
    wrapper.remove()
    editor.commands.focus()
  })
  form.addEventListener("submit", async (event) => {
    // This form sits inside the admin's own form: nothing of it may reach that one.
    event.preventDefault()
    event.stopPropagation()
    const altText = alt.value.trim()
    if (!altText) {
      alt.value = ""
      form.reportValidity()
      return
    }
    const body = new FormData()
    body.append("image", file.files[0])
    body.append("alt", altText)
    submit.disabled = true
    error.textContent = "올리는 중입니다…"
    try {
      const response = await fetch(uploadUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(editor), Accept: "application/json" },
      })
      const data = await response.json().catch(() => null)
      if (response.ok && data?.url) {
        dialog.close()
        editor
          .chain()
          .focus()
          .insertContent({ type: "image", attrs: { src: data.url, alt: data.alt } })
          .run()
        return
      }
      error.textContent =
        data?.error || "이미지를 올리지 못했습니다. 로그인이 끝났을 수 있으니 다시 로그인한 뒤 올려 주세요."
    } catch (_exc) {
      error.textContent = "이미지를 올리지 못했습니다. 네트워크 연결을 확인한 뒤 다시 올려 주세요."
    } finally {
      submit.disabled = false
    }
  })

  editor.view.dom.parentElement.append(wrapper)
  dialog.showModal()
}

const altDialog = updateAttrsDialog(
  {
    alt: {
      type: "string",
      title: "대체텍스트(필수)",
      required: true,
      description: "이미지에 담긴 내용을 글로 적습니다. 화면낭독기가 읽어 줍니다.",
    },
  },
  { title: "이미지 대체텍스트", submitText: "적용" },
)

export const BodyImage = Image.extend({
  addOptions() {
    return { ...this.parent?.(), uploadUrl: "", srcPrefix: "/body-images/" }
  },

  addAttributes() {
    // Only what the sanitiser keeps: the address and the alt text.
    return { src: { default: null }, alt: { default: null } }
  },

  parseHTML() {
    const prefix = this.options.srcPrefix
    return [
      {
        tag: "img[src]",
        getAttrs: (element) => ((element.getAttribute("src") || "").startsWith(prefix) ? null : false),
      },
    ]
  },

  renderHTML({ HTMLAttributes }) {
    return ["img", HTMLAttributes]
  },

  addCommands() {
    return {
      ...this.parent?.(),
      uploadBodyImage:
        () =>
        ({ editor }) => {
          addStyle()
          uploadDialog(editor, this.options)
          return true
        },
      editImageAlt:
        () =>
        ({ editor, state }) => {
          const node = state.selection.node
          if (node?.type.name !== this.name) return false
          altDialog(editor, { alt: node.attrs.alt || "" }).then((attrs) => {
            const text = attrs?.alt.trim()
            if (text) editor.chain().focus().updateAttributes(this.name, { alt: text }).run()
          })
          return true
        },
    }
  },

  addMenuItems({ buttons, menu }) {
    menu.defineItem({
      name: "bodyImage",
      groups: "nodes",
      command: (editor) => editor.commands.uploadBodyImage(),
      button: buttons.text("이미지", "본문 이미지 올리기"),
    })
    menu.defineItem({
      name: "bodyImage:alt",
      groups: "nodes",
      command: (editor) => editor.commands.editImageAlt(),
      button: buttons.text("대체텍스트", "선택한 이미지의 대체텍스트 고치기"),
      hidden: (editor) => !editor.isActive(this.name),
    })
  },
})
