# Regenerate: cd charts && gnuplot calls-sweep-synthetic-tp_btf.gp
if (!exists("outfile")) outfile = "calls-sweep-synthetic-tp_btf.png"
set terminal pngcairo size 960,540 font "sans,11" noenhanced
set output outfile
set grid ytics
set key below
set title "ns per trigger over K at synthetic/tp_btf: means over rounds (points), fitted lines (slope = ns per call)"
set xlabel "K (handler calls per trigger)"
set ylabel "ns per trigger"
set key left top
plot  "calls-sweep-synthetic-tp_btf.dat" index 0 using 1:2 with points pt 7 lc 1 title "empty", 80.2160 + 2.14450*x with lines lc 1 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 1 using 1:2 with points pt 7 lc 2 title "inline", 151.0910 + 262.37970*x with lines lc 2 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 2 using 1:2 with points pt 7 lc 3 title "noinline", 166.4360 + 279.93330*x with lines lc 3 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 3 using 1:2 with points pt 7 lc 4 title "linked", 162.9220 + 278.50050*x with lines lc 4 notitle, \
     "calls-sweep-synthetic-tp_btf.dat" index 4 using 1:2 with points pt 7 lc 5 title "tailcall", 140.5200 + 295.18010*x with lines lc 5 notitle
