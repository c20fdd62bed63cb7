// TRS WCM pager: page 0 is index.html, page n is index_n.html
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt) {
  if (_nPageCount == null || _nPageCount <= 1) return;
  var nCurrIndex = _nCurrIndex || 0;
  var name = function (i) { return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; };
  document.write("共" + _nPageCount + "页&nbsp;");
  if (nCurrIndex == 0) document.write("首页&nbsp;上一页&nbsp;");
  else document.write("<a href=\"" + name(0) + "\">首页</a>&nbsp;<a href=\"" + name(nCurrIndex - 1) + "\">上一页</a>&nbsp;");
  if (nCurrIndex == _nPageCount - 1) document.write("下一页&nbsp;尾页");
  else document.write("<a href=\"" + name(nCurrIndex + 1) + "\">下一页</a>&nbsp;<a href=\"" + name(_nPageCount - 1) + "\">尾页</a>");
}
