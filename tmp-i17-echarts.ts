import * as echarts from 'echarts';
const c = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 400, height: 300 });
c.setOption({ animation: false, xAxis: { type: 'category', data: ['<script>x</script>', '广东省'] }, yAxis: {}, series: [{ type: 'bar', data: [1, 3] }] });
const s = c.renderToSVGString();
console.log(s.includes('<script>'), s.match(/&lt;script/g)?.length, s.length);
console.log(s.match(/style="[^"]*"/g)?.slice(0,3));
