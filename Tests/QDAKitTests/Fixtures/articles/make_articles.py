#!/usr/bin/env python3
"""Writes the test articles as PDF and as the text pdftotext gives of them.

Each `NAME.article` is a small markup (one line a part: `T:` title, `A:` author line,
`H:` heading, `P:` paragraph, `K:` keyword line, `FIG:` figure caption, `TABLE:` table
caption with `ROW:` rows, `SRC:` source line, `REF:` reference entry; `@header`,
`@header2`, `@lang` set the running headers and the language). It becomes a flat
OpenDocument file laid out like a journal page (A5, justified and hyphenated text,
running header, page number in the footer), which LibreOffice turns into `NAME.pdf`;
`pdftotext` then writes `NAME.txt` and `pdftotext -layout` `NAME-layout.txt`.

    python3 make_articles.py      # needs libreoffice-writer, poppler-utils, hyphen-en-us
"""
import glob
import html
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fodt(parts, header, header2, lang):
    language, country = lang.split("-")
    body = []
    for kind, text in parts:
        t = html.escape(text) if isinstance(text, str) else ""
        if kind == "T":
            body.append(f'<text:p text:style-name="Title">{t}</text:p>')
        elif kind == "A":
            body.append(f'<text:p text:style-name="Author">{t}</text:p>')
        elif kind == "H":
            body.append(f'<text:h text:outline-level="1" text:style-name="Head">{t}</text:h>')
        elif kind in ("P", "K", "REF"):
            style = {"P": "Body", "K": "Keywords", "REF": "Reference"}[kind]
            body.append(f'<text:p text:style-name="{style}">{t}</text:p>')
        elif kind == "FIG":
            body.append(f'<text:p text:style-name="Caption">{t}</text:p>')
            for label in (["Beijing", "Shanghai", "Guizhou"] if lang.startswith("en") else ["北京", "贵州"]):
                body.append(f'<text:p text:style-name="FigureLabel">{label}</text:p>')
        elif kind == "SRC":
            body.append(f'<text:p text:style-name="Source">{t}</text:p>')
        elif kind == "TABLE":
            body.append(f'<text:p text:style-name="Caption">{t}</text:p>')
        elif kind == "ROWS":
            columns = len(text[0])
            body.append('<table:table table:style-name="Tab">')
            body.append(f'<table:table-column table:number-columns-repeated="{columns}"/>')
            for row in text:
                body.append("<table:table-row>")
                for cell in row:
                    body.append(
                        f'<table:table-cell office:value-type="string"><text:p text:style-name="Cell">{html.escape(cell)}</text:p></table:table-cell>'
                    )
                body.append("</table:table-row>")
            body.append("</table:table>")
    para = f'fo:language="{language}" fo:country="{country}" style:language-asian="{language}" style:country-asian="{country}"'
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="Serif" svg:font-family="'Noto Serif'" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:hyphenation-ladder-count="no-limit"/>
  <style:text-properties style:font-name="Serif" fo:font-size="9pt" {para} style:font-name-asian="Noto Serif CJK SC" style:font-size-asian="9pt" fo:hyphenate="true" fo:hyphenation-remain-char-count="2" fo:hyphenation-push-char-count="2"/>
 </style:default-style>
 <style:style style:name="Body" style:family="paragraph"><style:paragraph-properties fo:text-align="justify" fo:margin-bottom="0.1cm" fo:text-indent="0.4cm"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="14pt" fo:font-weight="bold" style:font-size-asian="14pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="Author" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="Head" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.15cm"/><style:text-properties fo:font-weight="bold" fo:hyphenate="false"/></style:style>
 <style:style style:name="Keywords" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm"/><style:text-properties fo:font-style="italic" fo:hyphenate="false"/></style:style>
 <style:style style:name="Caption" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.3cm" fo:margin-bottom="0.1cm"/><style:text-properties fo:font-size="8pt" fo:font-weight="bold" fo:hyphenate="false"/></style:style>
 <style:style style:name="FigureLabel" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="7pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="Source" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="7pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:text-properties fo:font-size="8pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="Reference" style:family="paragraph"><style:paragraph-properties fo:margin-left="0.4cm" fo:text-indent="-0.4cm" fo:margin-bottom="0.1cm"/><style:text-properties fo:font-size="8pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="HeaderText" style:family="paragraph"><style:text-properties fo:font-size="7pt" fo:hyphenate="false"/></style:style>
 <style:style style:name="FooterText" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="8pt"/></style:style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="Page"><style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="1.2cm" fo:margin-bottom="1.2cm" fo:margin-left="1.8cm" fo:margin-right="1.8cm"/>
  <style:header-style><style:header-footer-properties fo:margin-bottom="0.3cm"/></style:header-style>
  <style:footer-style><style:header-footer-properties fo:margin-top="0.3cm"/></style:footer-style>
 </style:page-layout>
 <style:style style:name="Tab" style:family="table"><style:table-properties style:width="11.2cm" table:align="left"/></style:style>
</office:automatic-styles>
<office:master-styles>
 <style:master-page style:name="Standard" style:page-layout-name="Page">
  <style:header><text:p text:style-name="HeaderText">{html.escape(header2)}</text:p></style:header>
  <style:header-left><text:p text:style-name="HeaderText">{html.escape(header)}</text:p></style:header-left>
  <style:footer><text:p text:style-name="FooterText"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
 </style:master-page>
</office:master-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body></office:document>
"""


def parse(path):
    parts, header, header2, lang, rows = [], "", "", "en-US", []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line:
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(" ")
            header, header2, lang = (value, header2, lang) if key == "header" else (header, value, lang) if key == "header2" else (header, header2, value)
            continue
        kind, _, text = line.partition(": ")
        if kind == "ROW":
            rows.append([c.strip() for c in text.split("|")])
            continue
        if rows:
            parts.append(("ROWS", rows))
            rows = []
        parts.append((kind, text))
    if rows:
        parts.append(("ROWS", rows))
    return parts, header, header2, lang


def main():
    out = os.path.join(HERE, "build")
    os.makedirs(out, exist_ok=True)
    for article in sorted(glob.glob(os.path.join(HERE, "*.article"))):
        name = os.path.splitext(os.path.basename(article))[0]
        source = os.path.join(out, name + ".fodt")
        with open(source, "w", encoding="utf-8") as f:
            f.write(fodt(*parse(article)))
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", HERE, source], check=True,
                       stdout=subprocess.DEVNULL)
        pdf = os.path.join(HERE, name + ".pdf")
        subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, os.path.join(HERE, name + ".txt")], check=True)
        subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", pdf, os.path.join(HERE, name + "-layout.txt")], check=True)
        print(name, file=sys.stderr)


if __name__ == "__main__":
    main()
